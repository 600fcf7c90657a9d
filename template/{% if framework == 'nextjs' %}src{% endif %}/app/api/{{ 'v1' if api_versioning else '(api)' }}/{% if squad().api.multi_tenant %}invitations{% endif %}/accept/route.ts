/** POST accepts an invitation with its token: the signed-in user it was sent to joins the organization (200). */
import { authenticate, requireWriter } from "@/lib/auth";
import { methodNotAllowed, parseJson } from "@/lib/http";
import { acceptInvitation, InvitationAccept } from "@/lib/invitations";
import { handle, parseBody } from "@/lib/resources/common/crud";

export async function POST(request: Request): Promise<Response> {
  const principal = await authenticate(request);
  if (principal instanceof Response) return principal;
  const denied = requireWriter(principal, request);
  if (denied) return denied;
  const body = await parseJson(request);
  if (body instanceof Response) return body;
  const data = parseBody(request, body, InvitationAccept);
  if (data instanceof Response) return data;
  return handle(request, async () => Response.json(await acceptInvitation(principal, data.token)));
}

const notAllowed = methodNotAllowed("POST");
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = notAllowed;
