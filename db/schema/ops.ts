import { sql } from "drizzle-orm";
import { check, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { systemAccess, tenantIsolation } from "./tenant-policy";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/**
 * One row per (condition, subject) while it holds: the stuck-customer detector opens it once,
 * keeps `last_seen_at` fresh on every run, and resolves it when the condition clears (state-based
 * dedupe: one alert per condition and subject, not one per run). `subject` is an org id, a
 * function id, or `system`. Operator table: RLS on, no tenant policy.
 */
export const opsAlerts = pgTable(
  "ops_alerts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** onboarding_idle | paid_not_activated | payment_failed | job_failure_rate | dead_letters | stale_heartbeat */
    kind: text("kind").notNull(),
    subject: text("subject").notNull(),
    orgId: uuid("org_id"),
    /** open | resolved */
    status: text("status").notNull().default("open"),
    summary: text("summary").notNull(),
    details: jsonb("details").$type<Record<string, unknown>>(),
    firstSeenAt: ts("first_seen_at").notNull().defaultNow(),
    lastSeenAt: ts("last_seen_at").notNull().defaultNow(),
    resolvedAt: ts("resolved_at"),
    /** Set when the notification was enqueued (null while muted). */
    notifiedAt: ts("notified_at"),
  },
  (t) => [
    check("ops_alerts_status_valid", sql`${t.status} in ('open', 'resolved')`),
    uniqueIndex("ops_alerts_open_idx")
      .on(t.kind, t.subject)
      .where(sql`${t.status} = 'open'`),
    index("ops_alerts_status_idx").on(t.status, t.lastSeenAt),
    index("ops_alerts_org_idx").on(t.orgId),
    tenantIsolation(t.orgId),
    systemAccess(),
  ],
).enableRLS();

/**
 * Customers' data requests: deletion (anonymise personal data, keep billing totals) and export
 * (a JSON bundle of everything the org owns). Operator table: RLS on, no tenant policy; the org
 * id has no foreign key so the record outlives a deleted org.
 */
export const dataRequests = pgTable(
  "data_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull(),
    /** deletion | export */
    kind: text("kind").notNull(),
    /** pending | processing | completed | failed */
    status: text("status").notNull().default("pending"),
    requestedBy: text("requested_by"),
    requestedAt: ts("requested_at").notNull().defaultNow(),
    /** While `processing`: the claim's end. A worker that died mid-request leaves it to expire and be claimed again. */
    leaseUntil: ts("lease_until"),
    completedAt: ts("completed_at"),
    /** Export: the bundle; deletion: counts of what was anonymised or deleted. */
    result: jsonb("result").$type<Record<string, unknown>>(),
    error: text("error"),
  },
  (t) => [
    check("data_requests_kind_valid", sql`${t.kind} in ('deletion', 'export')`),
    check("data_requests_status_valid", sql`${t.status} in ('pending', 'processing', 'completed', 'failed')`),
    index("data_requests_org_idx").on(t.orgId, t.requestedAt),
    index("data_requests_status_idx").on(t.status, t.requestedAt),
    tenantIsolation(t.orgId),
    systemAccess(),
  ],
).enableRLS();
