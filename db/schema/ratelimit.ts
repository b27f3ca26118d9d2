import { bigint, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * The rate-limit count kept in PostgreSQL for limits that must fail closed (they protect a
 * secret) while the shared Redis store is down or slow. One row per limited identifier and
 * rule; a sliding window approximated from this fixed window and the one before, advanced by
 * one atomic upsert. Not tenant data: identifiers are IPs, hashed e-mails and operator ids.
 */
export const rateLimitCounters = pgTable(
  "rate_limit_counters",
  {
    key: text("key").primaryKey(),
    /** floor(now / window length): the fixed window `count` belongs to. */
    windowIndex: bigint("window_index", { mode: "number" }).notNull(),
    count: integer("count").notNull(),
    /** The count of window `windowIndex - 1`, weighted down as the current window advances. */
    previousCount: integer("previous_count").notNull().default(0),
    /** After this nothing of the row counts any more; expired rows are purged. */
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [index("rate_limit_counters_expires_at_idx").on(t.expiresAt)],
);
