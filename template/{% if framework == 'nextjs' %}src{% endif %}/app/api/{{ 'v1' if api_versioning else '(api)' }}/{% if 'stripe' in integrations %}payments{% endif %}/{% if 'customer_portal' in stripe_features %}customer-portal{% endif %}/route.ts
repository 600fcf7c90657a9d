/** POST a session of Stripe's customer portal, where customers change plans and cards or cancel. */
import { authenticate, requireWriter } from "@/lib/auth";
import { methodNotAllowed } from "@/lib/http";
import { createPortalSession } from "@/lib/payments/portal";
import { handle } from "@/lib/resources/common/crud";

export async function POST(request: Request): Promise<Response> {
  const principal = await authenticate(request);
  if (principal instanceof Response) return principal;
  const denied = requireWriter(principal, request);
  if (denied) return denied;
  return handle(request, async () => Response.json(await createPortalSession(principal)));
}

const notAllowed = methodNotAllowed("POST");
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = notAllowed;
