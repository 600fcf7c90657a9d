/**
 * POST magic-link/verify: trade a link's token for a token pair, as a password login gives. A used, expired or
 * unknown link and an inactive user all get the same 401, so the answer tells nothing about which it was.
 */
import { issueTokens } from "@/lib/accounts";
import { methodNotAllowed, parseJson } from "@/lib/http";
import { MagicLinkVerify, redeemMagicLink } from "@/lib/magic-links";
import { problem, validationProblem } from "@/lib/problem";

export async function POST(request: Request): Promise<Response> {
  const body = await parseJson(request);
  if (body instanceof Response) return body;
  const parsed = MagicLinkVerify.safeParse(body);
  if (!parsed.success) return validationProblem(request, parsed.error);
  const user = await redeemMagicLink(parsed.data.token);
  if (!user) {
    return problem(request, 401, "Invalid or expired sign-in link.", {
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
