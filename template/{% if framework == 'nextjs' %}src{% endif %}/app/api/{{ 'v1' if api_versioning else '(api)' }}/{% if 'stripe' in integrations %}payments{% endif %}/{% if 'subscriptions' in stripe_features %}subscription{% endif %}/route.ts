/** GET the caller's subscription as Stripe's latest event described it (the webhook keeps it in sync). */
import { authenticate } from "@/lib/auth";
import { methodNotAllowed } from "@/lib/http";
import { getPaymentsSettings } from "@/lib/payments/settings";
import { currentSubscription, subscriptionStatus } from "@/lib/payments/subscriptions";
import { HttpError, handle } from "@/lib/resources/common/crud";

export async function GET(request: Request): Promise<Response> {
  const principal = await authenticate(request);
  if (principal instanceof Response) return principal;
  return handle(request, async () => {
    const subscription = await currentSubscription(principal.userId);
    if (!subscription) throw new HttpError(404, "No subscription for this user.");
    return Response.json(subscriptionStatus(subscription, getPaymentsSettings()));
  });
}

const notAllowed = methodNotAllowed("GET");
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = notAllowed;
