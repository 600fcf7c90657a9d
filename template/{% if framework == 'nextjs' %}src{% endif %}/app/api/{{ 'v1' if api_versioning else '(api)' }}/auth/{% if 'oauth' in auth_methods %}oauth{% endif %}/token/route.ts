/**
 * POST oauth/token: trade the sign-in code the callback handed the front end for a token pair, as a password login
 * gives. The code works once, for two minutes; a used, expired or unknown code and an inactive user all get the same
 * 401.
 */
import { issueTokens } from "@/lib/accounts";
import { methodNotAllowed, parseJson } from "@/lib/http";
import { OAuthCodeExchange, redeemLoginCode } from "@/lib/oauth";
import { problem, validationProblem } from "@/lib/problem";

export async function POST(request: Request): Promise<Response> {
  const body = await parseJson(request);
  if (body instanceof Response) return body;
  const parsed = OAuthCodeExchange.safeParse(body);
  if (!parsed.success) return validationProblem(request, parsed.error);
  const user = await redeemLoginCode(parsed.data.code);
  if (!user) {
    return problem(request, 401, "Invalid or expired sign-in code.", {
      headers: { "www-authenticate": "Bearer" },
    });
  }
  return Response.json(await issueTokens(user));
}

const notAllowed = methodNotAllowed("POST");
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = notAllowed;
