/** DELETE revokes a pending invitation of an organization (its admins): its token stops working (204). */
import { authenticate } from "@/lib/auth";
import { methodNotAllowed, parseId } from "@/lib/http";
import { revokeInvitation } from "@/lib/invitations";
import { handle } from "@/lib/resources/common/crud";

type Context = { params: Promise<{ id: string; invitationId: string }> };

export async function DELETE(request: Request, { params }: Context): Promise<Response> {
  const principal = await authenticate(request);
  if (principal instanceof Response) return principal;
  const raw = await params;
  const id = parseId(request, raw.id, "organization_id");
  if (id instanceof Response) return id;
  const invitationId = parseId(request, raw.invitationId, "invitation_id");
  if (invitationId instanceof Response) return invitationId;
  return handle(request, async () => {
    await revokeInvitation(principal, id, invitationId);
    return new Response(null, { status: 204 });
  });
}

const notAllowed = methodNotAllowed("DELETE");
export const GET = notAllowed;
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const OPTIONS = notAllowed;
