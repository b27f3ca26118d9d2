import { desc, sql, type AnyColumn, type SQL } from "drizzle-orm";
import type { TimeCursor } from "@/lib/http";

/**
 * Newest-first keyset pagination on (timestamp, id). PostgreSQL keeps microseconds but a cursor
 * carries a JS Date (milliseconds), so both the order and the comparison use the timestamp
 * truncated to the millisecond: rows sharing a millisecond are then ordered by id and never
 * skipped between pages.
 */
export function newestFirst(at: AnyColumn, id: AnyColumn): SQL[] {
  return [desc(sql`date_trunc('milliseconds', ${at})`), desc(id)];
}

/** Rows strictly after `cursor` in `newestFirst` order. */
export function olderThan(at: AnyColumn, id: AnyColumn, cursor: TimeCursor, idType: "uuid" | "text" = "uuid"): SQL {
  const idValue = idType === "uuid" ? sql`${cursor.id}::uuid` : sql`${cursor.id}::text`;
  return sql`(date_trunc('milliseconds', ${at}), ${id}) < (${cursor.at.toISOString()}::timestamptz, ${idValue})`;
}
