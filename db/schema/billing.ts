import { sql } from "drizzle-orm";
import {
  boolean,
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
import { organizations, planId } from "./orgs";
import { systemAccess, tenantIsolation } from "./tenant-policy";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** Org ↔ Stripe customer. One customer per org, one org per customer. No e-mail, name or card data. */
export const billingCustomers = pgTable(
  "billing_customers",
  {
    orgId: uuid("org_id")
      .primaryKey()
      .references(() => organizations.id, { onDelete: "cascade" }),
    stripeCustomerId: text("stripe_customer_id").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("billing_customers_stripe_customer_idx").on(t.stripeCustomerId),
    tenantIsolation(t.orgId),
    systemAccess(),
  ],
).enableRLS();

/**
 * Stripe's subscription state as last seen in a webhook. `org_id` is null while a subscription
 * event arrived before anything linked its customer to an org (checkout links it later).
 * `status` is null for a placeholder row an invoice event creates before any subscription event.
 */
export const subscriptions = pgTable(
  "subscriptions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").references(() => organizations.id, { onDelete: "cascade" }),
    stripeSubscriptionId: text("stripe_subscription_id").notNull(),
    stripeCustomerId: text("stripe_customer_id"),
    status: text("status"),
    priceId: text("price_id"),
    plan: planId("plan"),
    currentPeriodEnd: ts("current_period_end"),
    cancelAtPeriodEnd: boolean("cancel_at_period_end").notNull().default(false),
    trialEnd: ts("trial_end"),
    /** Stripe's `pause_collection.behavior` while collection is paused (entitlements treat it as paused). */
    pauseCollection: text("pause_collection"),
    /** Stripe's `pause_collection.resumes_at`, when a pause has an end. */
    pauseResumesAt: ts("pause_resumes_at"),
    /** `created` of the subscription event last applied: the ordering guard. */
    stripeEventCreated: ts("stripe_event_created"),
    /** Dunning: set by invoice.payment_failed, cleared by invoice.paid. */
    paymentFailedAt: ts("payment_failed_at"),
    failedInvoiceId: text("failed_invoice_id"),
    /** `created` of the invoice event last applied (ordering guard for the dunning fields). */
    invoiceEventCreated: ts("invoice_event_created"),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("subscriptions_stripe_subscription_idx").on(t.stripeSubscriptionId),
    index("subscriptions_org_idx").on(t.orgId),
    index("subscriptions_customer_idx").on(t.stripeCustomerId),
    tenantIsolation(t.orgId),
    systemAccess(),
  ],
).enableRLS();

/**
 * Which dunning step went out for which failed invoice: the claim that keeps a step from being
 * sent twice. Written in the same transaction as the step's e-mails; kept as long as the org,
 * unlike outbox rows (retention deletes delivered ones, so they cannot be the dedupe).
 */
export const dunningNotices = pgTable(
  "dunning_notices",
  {
    invoiceId: text("invoice_id").notNull(),
    /** Days after the failed payment: 0, 3 or 7. */
    day: integer("day").notNull(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    recipients: integer("recipients").notNull(),
    sentAt: ts("sent_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.invoiceId, t.day] }),
    index("dunning_notices_org_idx").on(t.orgId),
    tenantIsolation(t.orgId),
    systemAccess(),
  ],
).enableRLS();

/** One-off credit packs bought through Checkout (mode=payment): granted once per session. */
export const creditPacks = pgTable(
  "credit_packs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    stripeCheckoutSessionId: text("stripe_checkout_session_id").notNull(),
    stripePaymentIntentId: text("stripe_payment_intent_id"),
    credits: integer("credits").notNull(),
    /** Credits taken back after refunds (cumulative). */
    creditsRevoked: integer("credits_revoked").notNull().default(0),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("credit_packs_session_idx").on(t.stripeCheckoutSessionId),
    index("credit_packs_payment_intent_idx").on(t.stripePaymentIntentId),
    check("credit_packs_revoked_range", sql`${t.creditsRevoked} >= 0 and ${t.creditsRevoked} <= ${t.credits}`),
    tenantIsolation(t.orgId),
    systemAccess(),
  ],
).enableRLS();

/**
 * Every verified Stripe event, stored before processing. The id is the idempotency key; the
 * status + lease is the claim. `metadata` keeps only type, ids and status fields (never card data).
 * No payload is kept: re-processing fetches the event from Stripe again (`events.retrieve`).
 * Operator table: RLS on with no tenant policy, so `beacon_tenant` sees none of it; the webhook
 * and the cockpit use the owner role.
 */
export const stripeEvents = pgTable(
  "stripe_events",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    /** Stripe's `created`. */
    created: ts("created").notNull(),
    livemode: boolean("livemode").notNull().default(false),
    apiVersion: text("api_version"),
    /** received | processing | processed | failed */
    status: text("status").notNull().default("received"),
    attempts: integer("attempts").notNull().default(0),
    leaseUntil: ts("lease_until"),
    lastError: text("last_error"),
    objectId: text("object_id"),
    orgId: uuid("org_id"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>(),
    receivedAt: ts("received_at").notNull().defaultNow(),
    processedAt: ts("processed_at"),
  },
  (t) => [
    check("stripe_events_status_valid", sql`${t.status} in ('received', 'processing', 'processed', 'failed')`),
    index("stripe_events_status_idx").on(t.status, t.receivedAt),
    index("stripe_events_type_idx").on(t.type),
    index("stripe_events_org_idx").on(t.orgId),
    // No tenant policy: Stripe's events stay invisible to tenants (webhooks and the cockpit only).
    systemAccess(),
  ],
).enableRLS();
