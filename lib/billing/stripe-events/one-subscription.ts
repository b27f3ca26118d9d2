import { and, eq, gt, inArray, isNull, or, sql } from "drizzle-orm";
import type Stripe from "stripe";
import type { Tx } from "@/db/client";
import { auditLog, stripeEvents, subscriptions } from "@/db/schema";
import { recordAudit, SYSTEM_ACTOR } from "@/lib/audit";
import { stripeClient } from "../stripe-client";
import { syncOrgPlan } from "../org-plan";
import { applySubscription } from "./subscription-changed";
import type { StripeEventInput, StripeObject } from "./types";
import { lockOrganizationRows } from "@/lib/orgs";

/** Subscription states that still hold (or are about to hold) a plan: a second one would double-bill. */
export const LIVE_SUBSCRIPTION_STATUSES = ["trialing", "active", "past_due", "unpaid", "paused", "incomplete"];

/** How long Stripe keeps a Checkout Session open at most. */
const CHECKOUT_LIFETIME_MS = 24 * 3_600_000;

export interface DuplicateResolution {
  /** Null when Stripe holds no live subscription for the org any more. */
  kept: string | null;
  canceled: { id: string; refundedCents: number }[];
  expiredSessions: string[];
}

/**
 * One subscription per org. The "already subscribed" check at Checkout cannot stop two open
 * sessions from both completing, so every completed subscription is checked here, in the
 * webhook's transaction, under a lock on the org row (two deliveries for two subscriptions of
 * one org resolve one after the other). Only when our records show a second live subscription
 * of the org's customer is Stripe asked for its truth: the oldest live one is kept; every newer one is
 * refunded (the unused share of what it charged) and cancelled at once, audited, and noted on
 * the Stripe event. Cancelled at once, a duplicate never grants a second trial either.
 * Stripe calls carry idempotency keys, and the refund comes before the cancel, so a retry after
 * a failure finishes the job instead of repeating or skipping it. Called only when our records
 * show a second live subscription (`duplicatesInOurRecords`, under the org locks).
 */
async function resolveDuplicateSubscriptions(
  tx: Tx,
  orgId: string,
  { customers, ours }: DuplicatesInOurRecords,
  event: StripeEventInput,
  now: Date,
): Promise<DuplicateResolution> {
  const stripe = stripeClient();
  const liveInStripe: Stripe.Subscription[] = [];
  for (const customer of customers) {
    for await (const sub of stripe.subscriptions.list({ customer, status: "all", limit: 100 })) {
      if (LIVE_SUBSCRIPTION_STATUSES.includes(sub.status)) liveInStripe.push(sub);
      // Our row is behind Stripe (an event of an already-resolved duplicate arrived late): take Stripe's state as of now.
      else if (ours.has(sub.id)) await applySubscription(tx, sub as unknown as StripeObject, now, now);
    }
  }
  // Oldest first; one still awaiting its first payment ("incomplete") never wins over one that holds the plan.
  const awaitingPayment = (sub: Stripe.Subscription) => (sub.status === "incomplete" ? 1 : 0);
  liveInStripe.sort(
    (a, b) => awaitingPayment(a) - awaitingPayment(b) || a.created - b.created || (a.id < b.id ? -1 : 1),
  );
  const [kept, ...duplicates] = liveInStripe;
  if (!kept) return { kept: null, canceled: [], expiredSessions: [] };

  const canceled: DuplicateResolution["canceled"] = [];
  for (const duplicate of duplicates) {
    const refundedCents = await refundUnusedShare(stripe, duplicate, now);
    const ended = await stripe.subscriptions.cancel(duplicate.id, {
      prorate: false,
      invoice_now: false,
      cancellation_details: { comment: `Duplicate of ${kept.id}` },
    });
    await applySubscription(tx, ended as unknown as StripeObject, now, now);
    await recordAudit(tx, {
      actor: SYSTEM_ACTOR,
      orgId,
      action: "billing.subscription.duplicate_canceled",
      target: { type: "subscription", id: duplicate.id },
      before: {
        status: duplicate.status,
        trial_end: duplicate.trial_end ? new Date(duplicate.trial_end * 1000).toISOString() : null,
      },
      after: { status: ended.status, kept_subscription: kept.id, refunded_cents: refundedCents },
      reason: `A second subscription completed while ${kept.id} was live (two Checkout sessions were open): cancelled${refundedCents > 0 ? ` and ${refundedCents} cents refunded` : ", nothing had been charged"}.`,
      at: now,
    });
    canceled.push({ id: duplicate.id, refundedCents });
  }
  if (canceled.length === 0) return { kept: kept.id, canceled, expiredSessions: [] };
  const [expiredSessions = []] = await expireOpenSubscriptionCheckouts(tx, [{ orgId, customers, except: null }], now);
  await noteOnEvent(tx, event.id, {
    duplicate_subscriptions_canceled: canceled.map((c) => c.id),
    kept_subscription: kept.id,
  });
  return { kept: kept.id, canceled, expiredSessions };
}

interface DuplicatesInOurRecords {
  /** The org's customers with more than one live subscription. */
  customers: string[];
  /** Those subscriptions. */
  ours: Set<string>;
}

/**
 * Locks the orgs (in id order) and answers, for each org whose records show a customer with a
 * second live subscription, which: two statements whatever the number of orgs.
 */
async function duplicatesInOurRecords(tx: Tx, orgIds: readonly string[]): Promise<Map<string, DuplicatesInOurRecords>> {
  await lockOrganizationRows(tx, orgIds);
  const live = await tx
    .select({
      orgId: subscriptions.orgId,
      id: subscriptions.stripeSubscriptionId,
      customer: subscriptions.stripeCustomerId,
    })
    .from(subscriptions)
    .where(
      and(
        inArray(subscriptions.orgId, [...new Set(orgIds)]),
        or(isNull(subscriptions.status), inArray(subscriptions.status, LIVE_SUBSCRIPTION_STATUSES)),
      ),
    );
  // Checkout always bills the org's one customer (ensureStripeCustomer), so the race leaves two
  // live subscriptions on one customer. Subscriptions on different customers (made by hand in
  // Stripe) are left to operators.
  const found = new Map<string, DuplicatesInOurRecords>();
  for (const orgId of new Set(orgIds)) {
    const rows = live.filter((row) => row.orgId === orgId && row.customer);
    const perCustomer = new Map<string, number>();
    for (const row of rows) perCustomer.set(row.customer!, (perCustomer.get(row.customer!) ?? 0) + 1);
    const customers = [...perCustomer].filter(([, n]) => n > 1).map(([customer]) => customer);
    if (customers.length === 0) continue;
    const ours = new Set(rows.filter((row) => customers.includes(row.customer!)).map((row) => row.id));
    found.set(orgId, { customers, ours });
  }
  return found;
}

/**
 * Resolves duplicates after subscriptions were linked to their orgs (each `{ orgId, event }`);
 * answers a log suffix for each, in order ("" when our records show no second subscription).
 * Only an org with a duplicate in our records makes Stripe be called.
 */
export async function keepOneSubscription(
  tx: Tx,
  linked: readonly { orgId: string; event: StripeEventInput }[],
  now: Date,
): Promise<string[]> {
  if (linked.length === 0) return [];
  const duplicates = await duplicatesInOurRecords(
    tx,
    linked.map(({ orgId }) => orgId),
  );
  const suffixes: string[] = [];
  for (const { orgId, event } of linked) {
    const found = duplicates.get(orgId);
    if (!found) {
      suffixes.push("");
      continue;
    }
    const resolution = await resolveDuplicateSubscriptions(tx, orgId, found, event, now);
    // Stripe's truth may also have corrected a row that was behind: the plan follows either way.
    const plan = await syncOrgPlan(tx, orgId, now);
    if (resolution.canceled.length === 0) suffixes.push(`; no duplicate live in Stripe, org plan ${plan}`);
    else {
      const refunds = resolution.canceled.map((c) => `${c.id} (${c.refundedCents} cents refunded)`).join(", ");
      suffixes.push(`; duplicate subscription cancelled: ${refunds}, kept ${resolution.kept}, org plan ${plan}`);
    }
  }
  return suffixes;
}

/**
 * The share of a duplicate's paid invoices for the current period that it will not serve,
 * refunded to the payment. A duplicate caught at once has used nothing, so that is all of it.
 */
async function refundUnusedShare(stripe: Stripe, sub: Stripe.Subscription, now: Date): Promise<number> {
  const item = sub.items.data[0];
  const start = item?.current_period_start ?? sub.start_date;
  const end = item?.current_period_end ?? start;
  const nowSec = Math.floor(now.getTime() / 1000);
  const unused = end > start ? Math.min(1, Math.max(0, (end - nowSec) / (end - start))) : 1;
  let refunded = 0;
  for await (const invoice of stripe.invoices.list({ subscription: sub.id, status: "paid", limit: 100 })) {
    if (invoice.amount_paid <= 0 || invoice.created < start || !invoice.id) continue;
    for await (const payment of stripe.invoicePayments.list({ invoice: invoice.id, limit: 100 })) {
      const paymentIntent =
        typeof payment.payment.payment_intent === "string"
          ? payment.payment.payment_intent
          : payment.payment.payment_intent?.id;
      const share = Math.round((payment.amount_paid ?? 0) * unused);
      if (!paymentIntent || payment.status !== "paid" || share <= 0) continue;
      await stripe.refunds.create(
        { payment_intent: paymentIntent, amount: share, reason: "duplicate", metadata: { subscription: sub.id } },
        { idempotencyKey: `beacon-duplicate-refund-${payment.id}` },
      );
      refunded += share;
    }
  }
  return refunded;
}

/**
 * Expires each org's other subscription Checkout sessions that are still open, so they cannot
 * complete into a second subscription. Asks Stripe only for an org that started another session
 * in the last 24 h (the audit trail of `startSubscriptionCheckout`), so most completions cost
 * no Stripe call: one statement for all the orgs. `except` is the session that just completed.
 * Answers each org's expired sessions, in order.
 */
export async function expireOpenSubscriptionCheckouts(
  tx: Tx,
  completions: readonly { orgId: string; customers: string[]; except: string | null }[],
  now: Date,
): Promise<string[][]> {
  if (completions.length === 0) return [];
  const started = await tx
    .select({ orgId: auditLog.orgId, session: auditLog.targetId })
    .from(auditLog)
    .where(
      and(
        inArray(auditLog.orgId, [...new Set(completions.map(({ orgId }) => orgId))]),
        eq(auditLog.action, "billing.checkout.started"),
        eq(auditLog.targetType, "checkout_session"),
        sql`${auditLog.after}->>'mode' = 'subscription'`,
        gt(auditLog.at, new Date(now.getTime() - CHECKOUT_LIFETIME_MS)),
      ),
    );
  const expired: string[][] = [];
  for (const { orgId, customers, except } of completions) {
    const another = started.some((row) => row.orgId === orgId && row.session !== except);
    expired.push(another && customers.length > 0 ? await expireOpenSessions(tx, orgId, customers, except, now) : []);
  }
  return expired;
}

async function expireOpenSessions(
  tx: Tx,
  orgId: string,
  customers: string[],
  except: string | null,
  now: Date,
): Promise<string[]> {
  const stripe = stripeClient();
  const expired: string[] = [];
  for (const customer of customers) {
    for await (const session of stripe.checkout.sessions.list({ customer, status: "open", limit: 100 })) {
      if (session.mode !== "subscription" || session.id === except) continue;
      await stripe.checkout.sessions.expire(session.id, {}, { idempotencyKey: `beacon-expire-${session.id}` });
      expired.push(session.id);
    }
  }
  if (expired.length > 0) {
    await recordAudit(tx, {
      actor: SYSTEM_ACTOR,
      orgId,
      action: "billing.checkout.expired",
      target: { type: "checkout_session", id: expired.join(",").slice(0, 500) },
      after: { expired_sessions: expired, completed_session: except },
      reason: "Another subscription Checkout of this organisation completed: one subscription per organisation.",
      at: now,
    });
  }
  return expired;
}

/** A line the cockpit's Stripe-event view shows with the event (metadata only, never payloads). */
async function noteOnEvent(tx: Tx, eventId: string, note: Record<string, unknown>) {
  await tx
    .update(stripeEvents)
    .set({ metadata: sql`coalesce(${stripeEvents.metadata}, '{}'::jsonb) || ${JSON.stringify(note)}::jsonb` })
    .where(eq(stripeEvents.id, eventId));
}
