/**
 * POST Stripe's events (no credentials: the Stripe-Signature header proves the sender). Answers 200 to every
 * verified event, handled or not, so Stripe stops retrying; a redelivered event changes nothing.
 */
import { methodNotAllowed } from "@/lib/http";
import { getPaymentsSettings, requireSetting } from "@/lib/payments/settings";
import { processEvent, verifiedEvent } from "@/lib/payments/webhooks";
import { HttpError, handle } from "@/lib/resources/common/crud";

export async function POST(request: Request): Promise<Response> {
  return handle(request, async () => {
    const settings = getPaymentsSettings();
    const secret = requireSetting(settings, "STRIPE_WEBHOOK_SECRET");
    // The signature covers the exact bytes Stripe sent: read them before anything parses the body.
    const payload = Buffer.from(await request.arrayBuffer());
    const signature = request.headers.get("stripe-signature");
    if (!signature) throw new HttpError(400, "Missing Stripe-Signature header.");
    const event = await verifiedEvent(payload, signature, secret, settings.STRIPE_WEBHOOK_TOLERANCE);
    return Response.json(await processEvent(event));
  });
}

const notAllowed = methodNotAllowed("POST");
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = notAllowed;
