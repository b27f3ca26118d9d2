import { and, asc, gte, lte } from "drizzle-orm";
import { db } from "@/db/client";
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
