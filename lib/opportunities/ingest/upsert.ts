import { getTableColumns, sql, type SQL } from "drizzle-orm";
import { db, type DbOrTx } from "@/db/client";
import { opportunities } from "@/db/schema";
import type { NewOpportunity } from "./normalize";
import { upsertRecordingChanges } from "./notice-changes";

export const UPSERT_BATCH_SIZE = 200;

export interface UpsertCounts {
  inserted: number;
  updated: number;
}

// Everything SAM.gov owns is overwritten by a newer copy; identity, first-seen time and the
// generated columns (the search vector, the description's passages) are not.
const KEEP_ON_UPDATE = new Set(["id", "noticeId", "createdAt", "updatedAt"]);
const OVERWRITTEN = Object.entries(getTableColumns(opportunities)).filter(
  ([key, column]) => !KEEP_ON_UPDATE.has(key) && !column.generated,
);
const UPDATE_FROM_EXCLUDED: Record<string, SQL> = Object.fromEntries(
  OVERWRITTEN.map(([key, column]) => [key, sql.raw(`excluded."${column.name}"`)]),
);
// A copy identical to the stored one is left alone: rewriting it would recompute the search vector
// and its index entries for nothing (an hourly SAM.gov window sees mostly notices it already has).
const CHANGED = sql.raw(
  OVERWRITTEN.map(([, column]) => `opportunities."${column.name}" is distinct from excluded."${column.name}"`).join(
    " or ",
  ),
);

/** The last copy of each notice id in a batch: one statement cannot update a row twice. */
function lastCopyPerNotice(rows: readonly NewOpportunity[]): NewOpportunity[] {
  const byNotice = new Map<string, NewOpportunity>();
  for (const row of rows) {
    byNotice.delete(row.noticeId);
    byNotice.set(row.noticeId, row);
  }
  return [...byNotice.values()];
}

/**
 * Inserts new notices and overwrites known ones (by notice id), `batchSize` rows per statement.
 * New rows are created at `now` (default: the clock when each batch is written, so a row's
 * created_at is never much older than the commit that makes it visible to alert digests);
 * every row rewritten is updated at the same instant. A copy identical to the stored one is not
 * rewritten (its updated_at stays: it says when SAM.gov's copy last changed), but it counts as
 * updated: re-running the same rows inserts nothing and updates each one. A notice repeated within the input counts as
 * inserted once and updated for each later copy, as if the rows had been written one by one.
 * The same statement keeps each overwritten version and records material changes (notice-changes.ts).
 */
export async function upsertOpportunities(
  rows: readonly NewOpportunity[],
  now: Date | undefined = undefined,
  dbx: DbOrTx = db(),
  batchSize = UPSERT_BATCH_SIZE,
): Promise<UpsertCounts> {
  const counts: UpsertCounts = { inserted: 0, updated: 0 };
  for (let start = 0; start < rows.length; start += batchSize) {
    const batch = rows.slice(start, start + batchSize);
    const unique = lastCopyPerNotice(batch);
    const stamp = now ?? new Date();
    counts.updated += batch.length - unique.length;
    const upsert = dbx
      .insert(opportunities)
      .values(unique.map((row) => ({ ...row, createdAt: stamp, updatedAt: stamp })))
      .onConflictDoUpdate({
        target: opportunities.noticeId,
        set: { ...UPDATE_FROM_EXCLUDED, updatedAt: stamp },
        setWhere: CHANGED,
      });
    const written = await upsertRecordingChanges(
      dbx,
      upsert.getSQL(),
      unique.map((row) => row.noticeId),
      stamp,
    );
    // A known notice counts as updated whether or not its copy changed (unchanged ones return no row).
    const inserted = written.filter((row) => row.inserted).length;
    counts.inserted += inserted;
    counts.updated += unique.length - inserted;
  }
  return counts;
}
