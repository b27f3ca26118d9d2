import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./orgs";
import { tenantIsolation } from "./tenant-policy";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/**
 * Every e-mail and outgoing webhook, written in the same transaction as the change that causes
 * it, then delivered by a worker that claims due rows with a lease. `dedupe_key` is unique per
 * org (NULL org = system messages such as ops alerts share one namespace), so enqueuing the
 * same message twice is a no-op. Rows past OUTBOX_MAX_ATTEMPTS stay, `dead`, until replayed
 * or discarded.
 */
export const outboxEvents = pgTable(
  "outbox_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").references(() => organizations.id, { onDelete: "cascade" }),
    /** email | webhook */
    kind: text("kind").notNull(),
    dedupeKey: text("dedupe_key").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    /** pending | sending | delivered | dead | discarded */
    status: text("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: ts("next_attempt_at").notNull().defaultNow(),
    leaseUntil: ts("lease_until"),
    lastError: text("last_error"),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    deliveredAt: ts("delivered_at"),
    deadAt: ts("dead_at"),
  },
  (t) => [
    check("outbox_events_kind_valid", sql`${t.kind} in ('email', 'webhook')`),
    check("outbox_events_status_valid", sql`${t.status} in ('pending', 'sending', 'delivered', 'dead', 'discarded')`),
    unique("outbox_events_dedupe_key").on(t.orgId, t.dedupeKey).nullsNotDistinct(),
    index("outbox_events_due_idx").on(t.status, t.nextAttemptAt),
    index("outbox_events_org_idx").on(t.orgId, t.createdAt),
    tenantIsolation(t.orgId),
  ],
).enableRLS();
