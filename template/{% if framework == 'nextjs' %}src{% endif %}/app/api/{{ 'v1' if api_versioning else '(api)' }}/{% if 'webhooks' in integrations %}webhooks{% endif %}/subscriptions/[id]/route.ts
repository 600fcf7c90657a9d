/** DELETE one of the caller's webhook subscriptions (204), and its delivery log with it; others' answer 404. */
import { authenticate, requireWriter } from "@/lib/auth";
import { methodNotAllowed, parseId } from "@/lib/http";
import { handle } from "@/lib/resources/common/crud";
import { deleteSubscription } from "@/lib/webhooks/subscriptions";

export async function DELETE(
  request: Request,
  { params }: { params: Promise<{ id: string }> },
): Promise<Response> {
  const principal = await authenticate(request);
  if (principal instanceof Response) return principal;
  const denied = requireWriter(principal, request);
  if (denied) return denied;
  const id = parseId(request, (await params).id);
  if (id instanceof Response) return id;
  return handle(request, async () => {
    await deleteSubscription(principal, id);
    return new Response(null, { status: 204 });
  });
}

const notAllowed = methodNotAllowed("DELETE");
export const GET = notAllowed;
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const OPTIONS = notAllowed;
