import { and, desc, eq, gte, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import { db } from "@/db/client";
import { newestFirst, olderThan } from "@/db/keyset";
import { isUuid, withSystem } from "@/db/tenant";
import { outboxEvents } from "@/db/schema";
import { operatorAuditActor, recordAudit, type AuditReadContext } from "@/lib/audit";
import { AppError, decodeTimeCursor, nextTimeCursor } from "@/lib/http";
import type { OutboxKind, OutboxStatus } from "./payloads";

export interface OutboxFilter {
  status?: OutboxStatus;
  kind?: OutboxKind;
  orgId?: string;
  createdFrom?: Date;
  createdTo?: Date;
  /** Free text matched against the payload (recipient, subject, URL, …) and the last error. */
  search?: string;
}

export interface OutboxListQuery extends OutboxFilter {
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string;
  limit?: number;
}

export type OutboxRow = typeof outboxEvents.$inferSelect;

/** At most this many rows change per bulk replay; the caller repeats for more. */
export const OUTBOX_BULK_LIMIT = 1_000;

function filterConditions(filter: OutboxFilter): SQL[] {
  const o = outboxEvents;
  const conditions: SQL[] = [];
  if (filter.status) conditions.push(eq(o.status, filter.status));
  if (filter.kind) conditions.push(eq(o.kind, filter.kind));
  if (filter.orgId) {
    if (!isUuid(filter.orgId))
      throw new AppError("validation_failed", "orgId is not a uuid.", {
        errors: [{ path: "orgId", message: "Not a uuid." }],
      });
    conditions.push(eq(o.orgId, filter.orgId));
  }
  if (filter.createdFrom) conditions.push(gte(o.createdAt, filter.createdFrom));
  if (filter.createdTo) conditions.push(lt(o.createdAt, filter.createdTo));
  const search = filter.search?.trim();
  if (search) {
    const like = `%${search.replace(/[\\%_]/g, "\\$&")}%`;
    conditions.push(
      or(sql`${o.payload}::text ilike ${like}`, sql`${o.lastError} ilike ${like}`, sql`${o.dedupeKey} ilike ${like}`)!,
    );
  }
  return conditions;
}

/**
 * The operator's service context, as far as the cockpit's outbox reads and an operator's outbox
 * writes use it: lib/context's `ServiceContext<OperatorActor>` as lib/audit spells it out, because
 * lib/context sends its events through this outbox.
 */
export type OperatorOutboxContext = AuditReadContext;

/** An operator's outbox write names them and their request in its audit row, at their clock. */
export type OperatorWriteContext = OperatorOutboxContext;

/**
 * Newest first, keyset-paginated on (created_at, id). Reads take the operator's context as every
 * cockpit read does; they have no clock of their own and leave no trail, so they use none of it.
 */
export async function listOutbox(
  _ctx: OperatorOutboxContext,
  query: OutboxListQuery = {},
): Promise<{ items: OutboxRow[]; nextCursor: string | null }> {
  const o = outboxEvents;
  const conditions = filterConditions(query);
  if (query.cursor) conditions.push(olderThan(o.createdAt, o.id, decodeTimeCursor(query.cursor)));
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
  const rows = await withSystem("outbox", (tx) =>
    tx
      .select()
      .from(o)
      .where(conditions.length ? and(...conditions) : undefined)
      .orderBy(...newestFirst(o.createdAt, o.id))
      .limit(limit + 1),
  );
  const { page, nextCursor } = nextTimeCursor(rows, limit, (r) => ({ at: r.createdAt, id: r.id }));
  return { items: page, nextCursor };
}

export async function getOutboxEvent(_ctx: OperatorOutboxContext, id: string): Promise<OutboxRow> {
  if (!isUuid(id)) throw new AppError("not_found", "No such outbox event.");
  const [row] = await withSystem("outbox", (tx) => tx.select().from(outboxEvents).where(eq(outboxEvents.id, id)));
  if (!row) throw new AppError("not_found", "No such outbox event.");
  return row;
}

export interface OperatorWriteOptions {
  reason?: string | null;
}

/**
 * Puts dead rows back in line: pending, attempts reset, due now. By ids, or by a filter (at most
 * OUTBOX_BULK_LIMIT rows per call). Only dead rows move; each one replayed is audited in the same
 * transaction. Answers how many were replayed.
 */
export async function replayOutbox(
  ctx: OperatorWriteContext,
  target: { ids: string[] } | { filter: OutboxFilter },
  options: OperatorWriteOptions = {},
): Promise<number> {
  const o = outboxEvents;
  const now = ctx.now();
  const actor = operatorAuditActor(ctx.actor);
  let which: SQL;
  if ("ids" in target) {
    const ids = [...new Set(target.ids)].filter(isUuid);
    if (ids.length === 0) return 0;
    if (ids.length > OUTBOX_BULK_LIMIT)
      throw new AppError("validation_failed", `Replay at most ${OUTBOX_BULK_LIMIT} events at once.`);
    which = inArray(o.id, ids);
  } else {
    const chosen = db()
      .select({ id: o.id })
      .from(o)
      .where(and(eq(o.status, "dead"), ...filterConditions({ ...target.filter, status: "dead" })))
      .orderBy(desc(o.createdAt), desc(o.id))
      .limit(OUTBOX_BULK_LIMIT);
    which = inArray(o.id, chosen);
  }
  return withSystem("outbox", async (tx) => {
    const replayed = await tx
      .update(o)
      .set({ status: "pending", attempts: 0, nextAttemptAt: now, leaseUntil: null, deadAt: null, updatedAt: now })
      .where(and(eq(o.status, "dead"), which))
      .returning({ id: o.id, orgId: o.orgId, kind: o.kind, lastError: o.lastError });
    for (const row of replayed) {
      await recordAudit(tx, {
        actor,
        action: "outbox.replay",
        orgId: row.orgId,
        target: { type: "outbox_event", id: row.id },
        before: { status: "dead", lastError: row.lastError },
        after: { status: "pending", attempts: 0 },
        reason: options.reason ?? null,
        requestId: ctx.requestId,
        at: now,
      });
    }
    return replayed.length;
  });
}

/**
 * Replays one dead letter. Not found is 404; found but no longer dead (replayed, delivered or
 * discarded since the page was drawn) is 409, whichever edge asked.
 */
export async function replayDeadLetter(ctx: OperatorWriteContext, id: string) {
  if ((await replayOutbox(ctx, { ids: [id] })) > 0) return;
  const row = await getOutboxEvent(ctx, id);
  throw new AppError("conflict", `This message is no longer dead (it is ${row.status}).`);
}

/** Gives up on a dead (or still pending) row for good; audited in the same transaction. */
export async function discardOutbox(
  ctx: OperatorWriteContext,
  id: string,
  options: OperatorWriteOptions = {},
): Promise<OutboxRow> {
  if (!isUuid(id)) throw new AppError("not_found", "No such outbox event.");
  const o = outboxEvents;
  const now = ctx.now();
  return withSystem("outbox", async (tx) => {
    const [before] = await tx.select({ status: o.status }).from(o).where(eq(o.id, id)).for("update");
    if (!before) throw new AppError("not_found", "No such outbox event.");
    if (before.status !== "dead" && before.status !== "pending") {
      throw new AppError("conflict", `Only dead or pending events can be discarded; this one is ${before.status}.`);
    }
    const [row] = await tx
      .update(o)
      .set({ status: "discarded", leaseUntil: null, updatedAt: now })
      .where(eq(o.id, id))
      .returning();
    await recordAudit(tx, {
      actor: operatorAuditActor(ctx.actor),
      action: "outbox.discard",
      orgId: row!.orgId,
      target: { type: "outbox_event", id },
      before: { status: before.status },
      after: { status: "discarded" },
      reason: options.reason ?? null,
      requestId: ctx.requestId,
      at: now,
    });
    return row!;
  });
}

/** Counts by status, for the cockpit's backlog and dead-letter figures. */
export async function outboxCounts(_ctx: OperatorOutboxContext): Promise<Record<OutboxStatus, number>> {
  const rows = await withSystem("outbox", (tx) =>
    tx
      .select({ status: outboxEvents.status, n: sql<number>`count(*)::int` })
      .from(outboxEvents)
      .groupBy(outboxEvents.status),
  );
  const counts: Record<OutboxStatus, number> = { pending: 0, sending: 0, delivered: 0, dead: 0, discarded: 0 };
  for (const row of rows) counts[row.status as OutboxStatus] = Number(row.n);
  return counts;
}
