/** POST sends one of the caller's deliveries again now, whatever its state (the receiver de-duplicates by its id). */
import { authenticate, requireWriter } from "@/lib/auth";
import { methodNotAllowed, parseId } from "@/lib/http";
import { handle } from "@/lib/resources/common/crud";
import { replayDelivery } from "@/lib/webhooks/deliveries";

export async function POST(
  request: Request,
  { params }: { params: Promise<{ id: string }> },
): Promise<Response> {
  const principal = await authenticate(request);
  if (principal instanceof Response) return principal;
  const denied = requireWriter(principal, request);
  if (denied) return denied;
  const id = parseId(request, (await params).id);
  if (id instanceof Response) return id;
  return handle(request, async () => Response.json(await replayDelivery(principal, id)));
}

const notAllowed = methodNotAllowed("POST");
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = notAllowed;
