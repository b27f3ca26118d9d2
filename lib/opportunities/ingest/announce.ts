import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { db, type DbOrTx, type Tx } from "@/db/client";
import { actAsSystem } from "@/db/tenant";
import { deliverOutboxNow, enqueueEvents } from "@/lib/outbox";
import type { NewOpportunity } from "./normalize";
import { ingestedThrough } from "./ingested-notices";
import { upsertOpportunities, type UpsertCounts } from "./upsert";

/** The event every ingestion path emits for the notices it stored (see inngest/events.ts). */
export const OPPORTUNITIES_INGESTED = "opportunities/ingested";

// One key for every path that writes notices (schedule, CLI file, demo feed).
const INGESTION_LOCK_KEY = 7_311_014_002;

/**
 * Serialises the transactions that store notices and answers the `created_at` to stamp them
 * with: `now` when given, else the clock but never behind the newest stamp already stored (a
 * process whose clock lags cannot stamp into the past). A notice is then only stamped once every
 * earlier-stamped one is committed, so the newest `created_at` anyone can see is a point up to
 * which nothing is still in flight. Instant alerts advance their cursors to that point
 * (lib/alerts), and so never step over a notice that commits later.
 */
export async function lockIngestion(tx: DbOrTx, now?: Date): Promise<Date> {
  await tx.execute(sql`select pg_advisory_xact_lock(${INGESTION_LOCK_KEY})`);
  if (now) return now;
  const clock = new Date();
  const newest = await ingestedThrough(tx);
  return newest && newest >= clock ? new Date(newest.getTime() + 1) : clock;
}

/**
 * Writes `opportunities/ingested` to the outbox with `tx`, the transaction that stored the
 * notices, so the event exists exactly when they do, and is delivered however long Inngest is
 * away. `key` names the batch (a run and page, a snapshot offset) so a retried write dedupes.
 * Answers the outbox id, to deliver after commit; null when nothing new was stored.
 * The event belongs to no org, so `tx` switches to the system role here, for its remaining
 * statements: every caller announces last, just before its transaction commits.
 */
export async function announceIngested(
  tx: Tx,
  batch: UpsertCounts & { source: string; at: Date; key: string },
): Promise<string | null> {
  if (batch.inserted === 0) return null;
  await actAsSystem(tx, "ingestion");
  const at = batch.at.toISOString();
  const [queued] = await enqueueEvents(tx, [
    {
      name: OPPORTUNITIES_INGESTED,
      id: `opportunities-ingested-${batch.source}-${batch.key}`,
      data: { source: batch.source, inserted: batch.inserted, updated: batch.updated, since: at, until: at },
    },
  ]);
  return queued!.id;
}

/**
 * One batch of notices from a file: stored and announced in one transaction (under the
 * ingestion lock), the event then delivered at once (when `dbx` is the database, not a
 * caller's transaction); the outbox sweep retries it if Inngest is away.
 */
export async function storeIngestedBatch(
  dbx: DbOrTx,
  rows: readonly NewOpportunity[],
  options: { source: string; now?: Date; batchSize?: number },
): Promise<UpsertCounts> {
  const { counts, eventId } = await dbx.transaction(async (tx) => {
    const at = await lockIngestion(tx, options.now);
    const counts = await upsertOpportunities(rows, at, tx, options.batchSize);
    const eventId = await announceIngested(tx, { ...counts, source: options.source, at, key: randomUUID() });
    return { counts, eventId };
  });
  // Inside a caller's transaction the event is not committed yet: the outbox sweep sends it.
  if (eventId && dbx === db()) await deliverOutboxNow([eventId]);
  return counts;
}
