import { and, asc, gte, lte, max } from "drizzle-orm";
import { db, type DbOrTx } from "@/db/client";
import { opportunities } from "@/db/schema";

/** Notice ids first stored in [since, until] (an ingestion run's window), oldest first. */
export async function noticeIdsCreatedBetween(since: Date, until: Date, limit = 50_000): Promise<string[]> {
  const rows = await db()
    .select({ noticeId: opportunities.noticeId })
    .from(opportunities)
    .where(and(gte(opportunities.createdAt, since), lte(opportunities.createdAt, until)))
    .orderBy(asc(opportunities.createdAt))
    .limit(limit);
  return rows.map((r) => r.noticeId);
}

/**
 * The newest `created_at` stored: ingestion stamps under one lock and never behind this
 * (lib/opportunities/ingest/announce.ts), so every notice up to it is committed and visible.
 */
export async function ingestedThrough(dbx: DbOrTx = db()): Promise<Date | null> {
  const [row] = await dbx.select({ at: max(opportunities.createdAt) }).from(opportunities);
  return row?.at ?? null;
}
