import { sql } from "drizzle-orm";
import {
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { apiKeys } from "./api-keys";
import { organizations } from "./orgs";
import { systemAccess, tenantIsolation } from "./tenant-policy";

/**
 * One row per org: the counters every metered call decrements in one conditional UPDATE.
 * Two balances: `quota_remaining` is the month's allowance (renewed from the plan at each
 * rollover, unused units lapse); `credits_remaining` is bought or granted credits, spent only
 * once the allowance is used up and kept across rollovers (they never expire).
 * Created lazily from the org's plan on its first metered call; a call after `period_end`
 * rolls the period over (new allowance from the plan) under a row lock.
 */
export const usageQuotas = pgTable(
  "usage_quotas",
  {
    orgId: uuid("org_id")
      .primaryKey()
      .references(() => organizations.id, { onDelete: "cascade" }),
    periodStart: timestamp("period_start", { withTimezone: true, mode: "date" }).notNull(),
    periodEnd: timestamp("period_end", { withTimezone: true, mode: "date" }).notNull(),
    quotaMonthly: integer("quota_monthly").notNull(),
    quotaRemaining: integer("quota_remaining").notNull(),
    creditsRemaining: integer("credits_remaining").notNull().default(0),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    check("usage_quotas_remaining_nonnegative", sql`${t.quotaRemaining} >= 0`),
    check("usage_quotas_credits_nonnegative", sql`${t.creditsRemaining} >= 0`),
    tenantIsolation(t.orgId),
    systemAccess(),
  ],
).enableRLS();

/** Which counter of `usage_quotas` a charge or an adjustment concerns. */
export const QUOTA_BALANCES = ["allowance", "credits"] as const;
export type QuotaBalance = (typeof QUOTA_BALANCES)[number];

/** One row per charged call, written in the same transaction as the decrement. */
export const usageEvents = pgTable(
  "usage_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    // No foreign key: usage history outlives a deleted key.
    apiKeyId: uuid("api_key_id"),
    endpoint: text("endpoint").notNull(),
    requestId: text("request_id").notNull(),
    /** The balance the unit came from (and goes back to on a refund); before/after are of that balance. */
    balance: text("balance").$type<QuotaBalance>().notNull().default("allowance"),
    quotaBefore: integer("quota_before").notNull(),
    quotaAfter: integer("quota_after").notNull(),
    /** HTTP status answered; null until the handler finished (filled in afterwards). */
    status: integer("status"),
    durationMs: integer("duration_ms"),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    index("usage_events_org_created_idx").on(t.orgId, t.createdAt),
    index("usage_events_request_idx").on(t.requestId),
    // Retention deletes by age across all orgs.
    index("usage_events_created_idx").on(t.createdAt),
    check("usage_events_balance_valid", sql`${t.balance} in ('allowance', 'credits')`),
    tenantIsolation(t.orgId),
    systemAccess(),
  ],
).enableRLS();

/**
 * `Idempotency-Key` per API key: the unique index is what makes a retry free. A row without
 * `response_status` is a request still in flight; once completed it stores the first answer.
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    apiKeyId: uuid("api_key_id")
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    /** method + path + query of the first request: the same key on another request is refused. */
    fingerprint: text("fingerprint").notNull(),
    responseStatus: integer("response_status"),
    /** The first answer's body exactly as sent (text, not jsonb: a replay must be byte for byte). */
    responseBody: text("response_body"),
    /** The first answer's headers a replay repeats: content-type and x-quota-remaining. */
    responseHeaders: jsonb("response_headers").$type<Record<string, string>>(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    completedAt: timestamp("completed_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [
    uniqueIndex("idempotency_keys_api_key_key_idx").on(t.apiKeyId, t.key),
    index("idempotency_keys_created_idx").on(t.createdAt),
    index("idempotency_keys_org_idx").on(t.orgId),
    tenantIsolation(t.orgId),
    systemAccess(),
  ],
).enableRLS();

/**
 * Append-only ledger of every change to either balance of `usage_quotas` that is not a charged
 * call. Allowance: a period opening with the plan's quota, plan changes and operator
 * `quota:set`. Credits: packs, their refunds, operator grants, and at each rollover the balance
 * carried into the new period (`credits_carried`). Written in the same transaction as the
 * change, so for any period and balance `sum(delta) - charged calls of that balance (usage_events
 * not refunded)` must equal the stored counter; the usage report calls the difference drift.
 */
export const quotaAdjustments = pgTable(
  "quota_adjustments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    periodStart: timestamp("period_start", { withTimezone: true, mode: "date" }).notNull(),
    balance: text("balance").$type<QuotaBalance>().notNull().default("allowance"),
    delta: integer("delta").notNull(),
    /** period_opened | plan_change | operator_set | opening_balance (allowance); credit_pack | credit_refund | credit_grant | credits_carried (credits) */
    reason: text("reason").notNull(),
    /** What caused it: a checkout session, a plan transition "free→pro", … */
    ref: text("ref"),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    check(
      "quota_adjustments_reason_valid",
      sql`${t.reason} in ('period_opened', 'credit_pack', 'credit_refund', 'credit_grant', 'credits_carried', 'plan_change', 'operator_set', 'opening_balance')`,
    ),
    check("quota_adjustments_balance_valid", sql`${t.balance} in ('allowance', 'credits')`),
    index("quota_adjustments_org_period_idx").on(t.orgId, t.periodStart),
    tenantIsolation(t.orgId),
    systemAccess(),
  ],
).enableRLS();

/**
 * The quota warnings sent to an org's owners and billing members: at most one per (period,
 * threshold), claimed in the same transaction as its e-mails (lib/metering/quota-warnings.ts).
 * `threshold` is the share of the month's allowance used: 80 or 100 (percent).
 */
export const quotaWarnings = pgTable(
  "quota_warnings",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    periodStart: timestamp("period_start", { withTimezone: true, mode: "date" }).notNull(),
    threshold: integer("threshold").notNull(),
    recipients: integer("recipients").notNull(),
    sentAt: timestamp("sent_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.periodStart, t.threshold] }),
    check("quota_warnings_threshold", sql`${t.threshold} in (80, 100)`),
    tenantIsolation(t.orgId),
    systemAccess(),
  ],
).enableRLS();
