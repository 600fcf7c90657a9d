/**
 * Webhooks: signed outgoing deliveries with retries, and a verified, idempotent incoming receiver.
 *
 * `emit` records deliveries in the caller's transaction (so an event exists only if the change it describes was
 * committed); `deliver` sends one; `deliverDue` sends the due retries; `onIncoming` registers what to do with
 * received events.
 */
export { type IncomingHandler, onIncoming, type ReceivedWebhook } from "./incoming";
export { deliver, deliverDue, emit, type WebhookDelivery, type WebhookSubscription } from "./service";
