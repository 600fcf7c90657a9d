/** DELETE removes a member (an organization admin), or the caller leaves (204); the last admin stays (409). */
import { authenticate } from "@/lib/auth";
import { methodNotAllowed, parseId } from "@/lib/http";
import { removeMember } from "@/lib/organizations";
import { handle } from "@/lib/resources/common/crud";

type Context = { params: Promise<{ id: string; userId: string }> };

export async function DELETE(request: Request, { params }: Context): Promise<Response> {
  const principal = await authenticate(request);
  if (principal instanceof Response) return principal;
  const raw = await params;
  const id = parseId(request, raw.id, "organization_id");
  if (id instanceof Response) return id;
  const userId = parseId(request, raw.userId, "user_id");
  if (userId instanceof Response) return userId;
  return handle(request, async () => {
    await removeMember(principal, id, userId);
    return new Response(null, { status: 204 });
  });
}

const notAllowed = methodNotAllowed("DELETE");
export const GET = notAllowed;
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const OPTIONS = notAllowed;
