/**
 * The audit log: who did what to which row. Events are written by the change they describe, in its transaction,
 * so both commit or neither; the log is read by admins only.
 */
import { and, desc } from "drizzle-orm";
import { z } from "zod";
import { db, schema } from "@/db";
import { equalities, isoDatetime } from "./resources/common/crud";
import { MAX_ID, NO_NUL, queryInt } from "./resources/common/validation";

const { auditEvents } = schema;

export type AuditEntry = {
  /** What happened: "auth.login", "api_key.revoke", "{module}.delete"... */
  action: string;
  /** The user who did it; null when nobody is signed in (a failed login, a script). */
  actorId: number | null;
  targetType: string | null;
  /** Text: a target's id need not be an integer. */
  targetId: string | number | null;
};

/** The database, or the transaction the audited change runs in. */
type Executor = Pick<typeof db, "insert">;

/** Writes one event with `executor`: pass the change's transaction so the event commits with it. */
export async function recordAudit(executor: Executor, entry: AuditEntry): Promise<void> {
  await executor.insert(auditEvents).values({
    createdAt: new Date(),
    actorId: entry.actorId,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId === null ? null : String(entry.targetId),
  });
}

/** Query of GET /audit-events: a page and exact-match filters. */
export const auditEventListQuery = z.object({
  limit: queryInt(1, 100).default(20),
  offset: queryInt(0, 1_000_000).default(0),
  action: z.string().max(64).regex(NO_NUL).optional(),
  actor_id: queryInt(1, MAX_ID).optional(),
});

export type AuditEventListQuery = z.output<typeof auditEventListQuery>;

const FILTER_COLUMNS = {
  action: auditEvents.action,
  actor_id: auditEvents.actorId,
};

/** A page of events, newest first, with the total for pagination controls. */
export async function listAuditEvents(query: AuditEventListQuery) {
  const where = and(...equalities(FILTER_COLUMNS, query));
  const [rows, total] = await Promise.all([
    db
      .select()
      .from(auditEvents)
      .where(where)
      .orderBy(desc(auditEvents.id))
      .limit(query.limit)
      .offset(query.offset),
    db.$count(auditEvents, where),
  ]);
  const items = rows.map((row) => ({
    id: row.id,
    created_at: isoDatetime(row.createdAt),
    actor_id: row.actorId,
    action: row.action,
    target_type: row.targetType,
    target_id: row.targetId,
  }));
  return { items, total, limit: query.limit, offset: query.offset };
}
