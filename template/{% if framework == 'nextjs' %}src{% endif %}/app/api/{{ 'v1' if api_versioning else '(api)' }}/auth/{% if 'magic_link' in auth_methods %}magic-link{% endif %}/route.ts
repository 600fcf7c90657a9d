/**
 * POST magic-link: ask for a sign-in link. The answer is the same 202 whether or not an active account uses the
 * e-mail, so it never tells which e-mails have accounts.
 */
import { methodNotAllowed, parseJson } from "@/lib/http";
import { LINK_SENT, MagicLinkRequest, requestMagicLink } from "@/lib/magic-links";
import { validationProblem } from "@/lib/problem";

export async function POST(request: Request): Promise<Response> {
  const body = await parseJson(request);
  if (body instanceof Response) return body;
  const parsed = MagicLinkRequest.safeParse(body);
  if (!parsed.success) return validationProblem(request, parsed.error);
  await requestMagicLink(parsed.data.email);
  return Response.json(LINK_SENT, { status: 202 });
}

const notAllowed = methodNotAllowed("POST");
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = notAllowed;
