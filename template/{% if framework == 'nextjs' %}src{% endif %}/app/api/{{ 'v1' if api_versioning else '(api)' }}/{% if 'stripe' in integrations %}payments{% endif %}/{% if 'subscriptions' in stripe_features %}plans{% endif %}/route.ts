/** GET the plans on offer (STRIPE_PLANS): show them on a pricing page, send one's price_id to checkout. */
import { methodNotAllowed } from "@/lib/http";
import { getPaymentsSettings } from "@/lib/payments/settings";
import { listPlans } from "@/lib/payments/subscriptions";
import { handle } from "@/lib/resources/common/crud";

// Read at request time: STRIPE_PLANS is the server's setting, not the build's.
export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  return handle(request, async () => Response.json(listPlans(getPaymentsSettings())));
}

const notAllowed = methodNotAllowed("GET");
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = notAllowed;
