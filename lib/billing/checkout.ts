import { planPurchaseBlocker } from "./prices";
import { and, eq, inArray, isNotNull } from "drizzle-orm";
import { withTenant } from "@/db/tenant";
import { subscriptions } from "@/db/schema";
import { type AuditActor, recordAuditAlone } from "@/lib/audit";
import { appUrl, env } from "@/lib/env";
import { AppError } from "@/lib/http";
import { ensureStripeCustomer, stripeCustomerIdFor } from "./customers";
import { planById, TRIAL_DAYS, type PlanId } from "@/lib/plans";
import { checkoutSessionCompleted } from "./stripe-events/checkout-session-completed";
import { LIVE_SUBSCRIPTION_STATUSES } from "./stripe-events/one-subscription";
import type { StripeObject } from "./stripe-events/types";
import { stripeClient } from "./stripe-client";
import { syncStripeCustomer } from "./sync";

export interface BillingActor extends AuditActor {
  type: "user";
  id: string;
  email: string;
}

/** An org gets one trial, ever: any subscription that had a trial end uses it up. */
export async function trialAvailable(orgId: string): Promise<boolean> {
  const [used] = await withTenant(orgId, (tx) =>
    tx
      .select({ id: subscriptions.id })
      .from(subscriptions)
      .where(and(eq(subscriptions.orgId, orgId), isNotNull(subscriptions.trialEnd)))
      .limit(1),
  );
  return !used;
}

async function liveSubscription(orgId: string) {
  const [row] = await withTenant(orgId, (tx) =>
    tx
      .select({ id: subscriptions.stripeSubscriptionId, status: subscriptions.status })
      .from(subscriptions)
      .where(and(eq(subscriptions.orgId, orgId), inArray(subscriptions.status, LIVE_SUBSCRIPTION_STATUSES)))
      .limit(1),
  );
  return row ?? null;
}

function priceFor(plan: PlanId): string {
  const info = planById(plan);
  const blocker = planPurchaseBlocker(plan);
  if (blocker || !info.stripePriceEnv)
    throw new AppError("validation_failed", blocker ?? `${info.name} cannot be bought here.`, {
      errors: [{ path: "plan", message: blocker ?? "" }],
    });
  return env()[info.stripePriceEnv] as string;
}

/**
 * A Stripe Checkout Session for a subscription to `plan`. The customer exists first (with
 * metadata.org_id); the session names the org three ways (client_reference_id, metadata, and
 * subscription metadata) so the webhook can always link it. The trial is offered only to an
 * org that never had one. An org that already pays changes plan in the Customer Portal.
 */
export async function startSubscriptionCheckout(
  orgId: string,
  plan: PlanId,
  actor: BillingActor,
  returnPath = "/settings/billing",
) {
  const price = priceFor(plan);
  if (await liveSubscription(orgId)) {
    throw new AppError("conflict", "This organisation already has a subscription: change plans in the billing portal.");
  }
  const customer = await ensureStripeCustomer(orgId, actor.email);
  const withTrial = await trialAvailable(orgId);
  const session = await stripeClient().checkout.sessions.create({
    mode: "subscription",
    customer,
    client_reference_id: orgId,
    line_items: [{ price, quantity: 1 }],
    metadata: { org_id: orgId, plan },
    subscription_data: { metadata: { org_id: orgId, plan }, ...(withTrial ? { trial_period_days: TRIAL_DAYS } : {}) },
    success_url: `${appUrl()}/settings/billing/return?session_id={CHECKOUT_SESSION_ID}&next=${encodeURIComponent(returnPath)}`,
    cancel_url: `${appUrl()}${returnPath}${returnPath.includes("?") ? "&" : "?"}checkout=canceled`,
  });
  await recordAuditAlone(
    {
      actor,
      orgId,
      action: "billing.checkout.started",
      target: { type: "checkout_session", id: session.id },
      after: { mode: "subscription", plan, trial_days: withTrial ? TRIAL_DAYS : 0 },
    },
    "billing",
  );
  if (!session.url) throw new Error("Stripe returned a Checkout Session without a URL");
  return { url: session.url, sessionId: session.id, trial: withTrial };
}

/** A one-off credit pack (+1,000 API call credits, kept until spent) through Checkout in payment mode. */
export async function startCreditPackCheckout(orgId: string, actor: BillingActor) {
  const price = env().STRIPE_PRICE_CREDITS;
  if (!price)
    throw new AppError("validation_failed", "Credit packs cannot be bought here.", {
      errors: [{ path: "price", message: "STRIPE_PRICE_CREDITS is not configured." }],
    });
  const customer = await ensureStripeCustomer(orgId, actor.email);
  const session = await stripeClient().checkout.sessions.create({
    mode: "payment",
    customer,
    client_reference_id: orgId,
    line_items: [{ price, quantity: 1 }],
    metadata: { org_id: orgId, kind: "credit_pack" },
    payment_intent_data: { metadata: { org_id: orgId, kind: "credit_pack" } },
    success_url: `${appUrl()}/settings/billing/return?session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${appUrl()}/settings/billing?checkout=canceled`,
  });
  await recordAuditAlone(
    {
      actor,
      orgId,
      action: "billing.checkout.started",
      target: { type: "checkout_session", id: session.id },
      after: { mode: "payment" },
    },
    "billing",
  );
  if (!session.url) throw new Error("Stripe returned a Checkout Session without a URL");
  return { url: session.url, sessionId: session.id };
}

/**
 * The Checkout success redirect: fetch the session, make sure it is this org's, and converge
 * the database now (subscription via `syncStripeCustomer`, credit pack via the same handler the
 * webhook uses, granted once per session) so the customer never waits for the webhook.
 */
export async function finishCheckout(orgId: string, sessionId: string, now = new Date()) {
  if (!/^cs_[A-Za-z0-9_]+$/.test(sessionId)) throw new AppError("not_found", "Checkout session not found.");
  let session;
  try {
    session = await stripeClient().checkout.sessions.retrieve(sessionId);
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404)
      throw new AppError("not_found", "Checkout session not found.");
    throw error;
  }
  const customer = typeof session.customer === "string" ? session.customer : (session.customer?.id ?? null);
  const ownCustomer = await stripeCustomerIdFor(orgId);
  if (session.client_reference_id !== orgId || !customer || (ownCustomer && ownCustomer !== customer)) {
    throw new AppError("not_found", "Checkout session not found.");
  }
  if (session.status !== "complete") return { mode: session.mode, complete: false as const };
  if (session.mode === "payment") {
    await withTenant(orgId, (tx) =>
      checkoutSessionCompleted(
        tx,
        {
          id: `return:${session.id}`,
          type: "checkout.session.completed",
          created: now,
          object: session as unknown as StripeObject,
        },
        now,
      ),
    );
    return { mode: session.mode, complete: true as const };
  }
  const synced = await syncStripeCustomer(customer, now);
  return { mode: session.mode, complete: true as const, plan: synced.plan };
}

/** A Stripe Customer Portal session (cards, invoices, plan changes, cancellation). */
export async function openCustomerPortal(orgId: string, returnPath = "/settings/billing") {
  const customer = await stripeCustomerIdFor(orgId);
  if (!customer) throw new AppError("conflict", "There is no billing account yet: choose a plan first.");
  const portal = await stripeClient().billingPortal.sessions.create({
    customer,
    return_url: `${appUrl()}${returnPath}`,
  });
  return { url: portal.url };
}
