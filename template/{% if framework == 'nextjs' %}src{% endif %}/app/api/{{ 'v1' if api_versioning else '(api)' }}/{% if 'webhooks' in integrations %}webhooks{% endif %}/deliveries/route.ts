/** GET the caller's webhook delivery log, the newest first (`limit`, 1 to 500, default 100). */
import { authenticate } from "@/lib/auth";
import { methodNotAllowed } from "@/lib/http";
import { handle, parseQuery } from "@/lib/resources/common/crud";
import { DeliveryQuery, listDeliveries } from "@/lib/webhooks/deliveries";

export async function GET(request: Request): Promise<Response> {
  const principal = await authenticate(request);
  if (principal instanceof Response) return principal;
  const query = parseQuery(request, DeliveryQuery);
  if (query instanceof Response) return query;
  return handle(request, async () => Response.json(await listDeliveries(principal, query.limit)));
}

const notAllowed = methodNotAllowed("GET");
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = notAllowed;
