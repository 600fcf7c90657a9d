/** PUT sets a member's role in an organization (its admins and platform admins); the last admin stays (409). */
import { authenticate } from "@/lib/auth";
import { methodNotAllowed, parseId, parseJson } from "@/lib/http";
import { MembershipUpdate, setMemberRole } from "@/lib/organizations";
import { handle, parseBody } from "@/lib/resources/common/crud";

type Context = { params: Promise<{ id: string; userId: string }> };

export async function PUT(request: Request, { params }: Context): Promise<Response> {
  const principal = await authenticate(request);
  if (principal instanceof Response) return principal;
  const raw = await params;
  const id = parseId(request, raw.id, "organization_id");
  if (id instanceof Response) return id;
  const userId = parseId(request, raw.userId, "user_id");
  if (userId instanceof Response) return userId;
  const body = await parseJson(request);
  if (body instanceof Response) return body;
  const data = parseBody(request, body, MembershipUpdate);
  if (data instanceof Response) return data;
  return handle(request, async () => Response.json(await setMemberRole(principal, id, userId, data.role)));
}

const notAllowed = methodNotAllowed("PUT");
export const GET = notAllowed;
export const POST = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = notAllowed;
