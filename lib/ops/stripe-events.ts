import { and, eq, or, sql, type SQL } from "drizzle-orm";
import { newestFirst, olderThan } from "@/db/keyset";
import { stripeEvents } from "@/db/schema";
import type { OperatorActor, ServiceContext } from "@/lib/context";
import { nextTimeCursor, type TimeCursor } from "@/lib/http";
import { cockpitContext } from "./cockpit-context";

export const STRIPE_EVENT_STATUSES = ["received", "processing", "processed", "failed"] as const;
export type StripeEventStatus = (typeof STRIPE_EVENT_STATUSES)[number];

export interface StripeEventQuery {
  status?: StripeEventStatus;
  type?: string;
  orgId?: string;
  /** Matches the event id or the object id (cus_…, sub_…, in_…) exactly. */
  id?: string;
  cursor?: TimeCursor;
  limit?: number;
}

/** The cockpit's Stripe events: newest first, keyset-paginated; metadata only (never payloads). */
export async function listStripeEvents(ctx: ServiceContext<OperatorActor>, query: StripeEventQuery = {}) {
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
  const filters: SQL[] = [];
  if (query.status) filters.push(eq(stripeEvents.status, query.status));
  if (query.type) filters.push(eq(stripeEvents.type, query.type));
  if (query.orgId) filters.push(eq(stripeEvents.orgId, query.orgId));
  if (query.id) filters.push(or(eq(stripeEvents.id, query.id), eq(stripeEvents.objectId, query.id))!);
  if (query.cursor) filters.push(olderThan(stripeEvents.receivedAt, stripeEvents.id, query.cursor, "text"));
  const rows = await cockpitContext(ctx).transaction((tx) =>
    tx
      .select()
      .from(stripeEvents)
      .where(filters.length ? and(...filters) : undefined)
      .orderBy(...newestFirst(stripeEvents.receivedAt, stripeEvents.id))
      .limit(limit + 1),
  );
  const { page, nextCursor } = nextTimeCursor(rows, limit, (r) => ({ at: r.receivedAt, id: r.id }));
  return { data: page, nextCursor };
}

/** Counts per status, for the tabs. */
export async function stripeEventCounts(
  ctx: ServiceContext<OperatorActor>,
): Promise<Record<StripeEventStatus, number>> {
  const rows = await cockpitContext(ctx).transaction((tx) =>
    tx
      .select({ status: stripeEvents.status, n: sql<number>`count(*)::int` })
      .from(stripeEvents)
      .groupBy(stripeEvents.status),
  );
  const counts = Object.fromEntries(STRIPE_EVENT_STATUSES.map((s) => [s, 0])) as Record<StripeEventStatus, number>;
  for (const row of rows) if (row.status in counts) counts[row.status as StripeEventStatus] = Number(row.n);
  return counts;
}

export async function stripeEventTypes(ctx: ServiceContext<OperatorActor>): Promise<string[]> {
  const rows = await cockpitContext(ctx).transaction((tx) =>
    tx.selectDistinct({ type: stripeEvents.type }).from(stripeEvents).orderBy(stripeEvents.type).limit(200),
  );
  return rows.map((r) => r.type);
}
