/**
 * PUT gives a user a role, or none (admins only), and records `user.role_change`. The user's next access token (after
 * a refresh or a new sign-in) carries the new role; the current one keeps the old role until it expires.
 */
import { RoleUpdate, setUserRole } from "@/lib/accounts";
import { authenticate, requireWriter } from "@/lib/auth";
import { methodNotAllowed, parseId, parseJson } from "@/lib/http";
import { problem } from "@/lib/problem";
import { handle, parseBody } from "@/lib/resources/common/crud";

type Context = { params: Promise<{ id: string }> };

export async function PUT(request: Request, { params }: Context): Promise<Response> {
  const principal = await authenticate(request);
  if (principal instanceof Response) return principal;
  if (!principal.isAdmin) return problem(request, 403, "Only admins may change roles.");
  const denied = requireWriter(principal, request);
  if (denied) return denied;
  const userId = parseId(request, (await params).id, "user_id");
  if (userId instanceof Response) return userId;
  const body = await parseJson(request);
  if (body instanceof Response) return body;
  const data = parseBody(request, body, RoleUpdate);
  if (data instanceof Response) return data;
  return handle(request, async () => Response.json(await setUserRole(principal.userId, userId, data.role)));
}

const notAllowed = methodNotAllowed("PUT");
export const GET = notAllowed;
export const POST = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = notAllowed;
