import { planPurchaseBlocker } from "./prices";
import { and, eq, inArray, isNotNull } from "drizzle-orm";
import { subscriptions, users } from "@/db/schema";
import { type AuditActor, recordAuditAlone } from "@/lib/audit";
import { asSystem, type MemberActor, type OrgContext } from "@/lib/context";
import { appUrl, env } from "@/lib/env";
import { AppError } from "@/lib/http";
import { assertCan } from "@/lib/orgs";
import { ensureStripeCustomer, stripeCustomerIdFor } from "./customers";
import { planById, TRIAL_DAYS, type PlanId } from "@/lib/plans";
import { checkoutSessionCompleted } from "./stripe-events/checkout-session-completed";
import { LIVE_SUBSCRIPTION_STATUSES } from "./stripe-events/one-subscription";
import type { StripeObject } from "./stripe-events/types";
import { stripeClient } from "./stripe-client";
import { syncStripeCustomer } from "./sync";

/** A member's billing changes, as their audit entries name them: the user and their e-mail. */
export interface BillingActor extends AuditActor {
  type: "user";
  id: string;
  email: string | null;
}

/** The context a member changes the org's subscription in: owners, admins and billing members (`billing:manage`). */
export type BillingContext = OrgContext<MemberActor>;

/** The member who acts, with the e-mail the Stripe customer and the audit entries carry. */
export async function billingActor(ctx: BillingContext): Promise<BillingActor> {
  const [user] = await ctx.transaction((tx) =>
    tx.select({ email: users.email }).from(users).where(eq(users.id, ctx.actor.userId)),
  );
  return { type: "user", id: ctx.actor.userId, email: user?.email ?? null };
}

/** An org gets one trial, ever: any subscription that had a trial end uses it up. */
export async function trialAvailable(ctx: OrgContext): Promise<boolean> {
  const { orgId } = ctx;
  const [used] = await ctx.transaction((tx) =>
    tx
      .select({ id: subscriptions.id })
      .from(subscriptions)
      .where(and(eq(subscriptions.orgId, orgId), isNotNull(subscriptions.trialEnd)))
      .limit(1),
  );
  return !used;
}

async function liveSubscription(ctx: OrgContext) {
  const { orgId } = ctx;
  const [row] = await ctx.transaction((tx) =>
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
export async function startSubscriptionCheckout(ctx: BillingContext, plan: PlanId, returnPath = "/settings/billing") {
  assertCan(ctx.actor, "billing:manage");
  const { orgId } = ctx;
  const price = priceFor(plan);
  if (await liveSubscription(ctx)) {
    throw new AppError("conflict", "This organisation already has a subscription: change plans in the billing portal.");
  }
  const actor = await billingActor(ctx);
  const customer = await ensureStripeCustomer(ctx, actor.email);
  const withTrial = await trialAvailable(ctx);
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
export async function startCreditPackCheckout(ctx: BillingContext) {
  assertCan(ctx.actor, "billing:manage");
  const { orgId } = ctx;
  const price = env().STRIPE_PRICE_CREDITS;
  if (!price)
    throw new AppError("validation_failed", "Credit packs cannot be bought here.", {
      errors: [{ path: "price", message: "STRIPE_PRICE_CREDITS is not configured." }],
    });
  const actor = await billingActor(ctx);
  const customer = await ensureStripeCustomer(ctx, actor.email);
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
export async function finishCheckout(ctx: BillingContext, sessionId: string) {
  const { orgId } = ctx;
  const now = ctx.now();
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
  const ownCustomer = await stripeCustomerIdFor(ctx);
  if (session.client_reference_id !== orgId || !customer || (ownCustomer && ownCustomer !== customer)) {
    throw new AppError("not_found", "Checkout session not found.");
  }
  if (session.status !== "complete") return { mode: session.mode, complete: false as const };
  if (session.mode === "payment") {
    await ctx.transaction((tx) =>
      checkoutSessionCompleted(
        tx,
        [
          {
            id: `return:${session.id}`,
            type: "checkout.session.completed",
            created: now,
            object: session as unknown as StripeObject,
          },
        ],
        now,
      ),
    );
    return { mode: session.mode, complete: true as const };
  }
  const synced = await syncStripeCustomer(asSystem(ctx, "billing"), customer);
  return { mode: session.mode, complete: true as const, plan: synced.plan };
}

/** A Stripe Customer Portal session (cards, invoices, plan changes, cancellation). */
export async function openCustomerPortal(ctx: BillingContext, returnPath = "/settings/billing") {
  assertCan(ctx.actor, "billing:manage");
  const customer = await stripeCustomerIdFor(ctx);
  if (!customer) throw new AppError("conflict", "There is no billing account yet: choose a plan first.");
  const portal = await stripeClient().billingPortal.sessions.create({
    customer,
    return_url: `${appUrl()}${returnPath}`,
  });
  return { url: portal.url };
}
