/** A user's delivery log: what is shown of a delivery, the newest first, and sending one again now. */
import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import { db, schema } from "@/db";
import type { Principal } from "@/lib/auth";
import { HttpError, isoDatetime } from "@/lib/resources/common/crud";
import { queryInt } from "@/lib/resources/common/validation";
import { deliver, type WebhookDelivery } from "./service";

const { webhookDeliveries, webhookSubscriptions } = schema;

export const DeliveryQuery = z.object({ limit: queryInt(1, 500).default(100) });

export type DeliveryRead = {
  id: number;
  subscription_id: number;
  event_type: string;
  payload: Record<string, unknown>;
  status: string;
  attempts: number;
  next_attempt_at: string | null;
  response_status: number | null;
  last_error: string | null;
  created_at: string;
};

export function deliveryRead(delivery: WebhookDelivery): DeliveryRead {
  return {
    id: delivery.id,
    subscription_id: delivery.subscriptionId,
    event_type: delivery.eventType,
    payload: delivery.payload,
    status: delivery.status,
    attempts: delivery.attempts,
    next_attempt_at: isoDatetime(delivery.nextAttemptAt),
    response_status: delivery.responseStatus,
    last_error: delivery.lastError,
    created_at: isoDatetime(delivery.createdAt),
  };
}

/** The caller's deliveries (to any of their subscriptions), the newest first. */
export async function listDeliveries(principal: Principal, limit: number): Promise<DeliveryRead[]> {
  const rows = await db
    .select({ delivery: webhookDeliveries })
    .from(webhookDeliveries)
    .innerJoin(webhookSubscriptions, eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId))
    .where(eq(webhookSubscriptions.ownerId, principal.userId))
    .orderBy(desc(webhookDeliveries.id))
    .limit(limit);
  return rows.map((row) => deliveryRead(row.delivery));
}

/** Send one of the caller's deliveries again now, whatever its state (the receiver de-duplicates by its id). */
export async function replayDelivery(principal: Principal, id: number): Promise<DeliveryRead> {
  const [found] = await db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .innerJoin(webhookSubscriptions, eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId))
    .where(and(eq(webhookDeliveries.id, id), eq(webhookSubscriptions.ownerId, principal.userId)))
    .limit(1);
  if (!found) throw new HttpError(404, `Delivery ${id} not found.`);
  await db
    .update(webhookDeliveries)
    .set({ status: "pending", nextAttemptAt: new Date() })
    .where(eq(webhookDeliveries.id, id));
  return deliveryRead(await deliver(id));
}
