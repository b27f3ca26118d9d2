import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { db } from "@/db/client";
import {
  auditLog,
  billingCustomers,
  creditPacks,
  organizations,
  stripeEvents,
  subscriptions,
  usageQuotas,
} from "@/db/schema";
import { appErrorOf } from "@/tests/app-error";
import { orgContext, memberActor, type OperatorActor } from "@/lib/context";
import { describeEachDatabase } from "@/tests/db";
import { withTestEnv } from "@/tests/env";
import { startFakeStripe, type FakeStripe } from "@/tests/fakes/stripe-api";
import { addMember, contextOf, ownerContextOf, systemContextOf, operatorContextOf } from "@/tests/support/factories";
import { signed, TEST_WEBHOOK_SECRET } from "@/tests/fixtures/stripe/events";
import {
  finishCheckout,
  openCustomerPortal,
  startCreditPackCheckout,
  startSubscriptionCheckout,
  trialAvailable,
} from "./checkout";
import { CREDIT_PACK_CREDITS } from "./stripe-events/checkout-session-completed";
import { pauseSubscription, resumeSubscription } from "./pause";
import { reconcileStripeEvents, reprocessStripeEvent, syncPayingCustomers } from "./reconcile";
import { billingOverview } from "./overview";
import { syncStripeCustomer } from "./sync";
import { extendTrial, MAX_TRIAL_EXTENSION_DAYS } from "./trial";
import { receiveStripeWebhook } from "./webhook";

const PRICES = {
  STRIPE_PRICE_STARTER: "price_fake_starter",
  STRIPE_PRICE_PRO: "price_fake_pro",
  STRIPE_PRICE_ENTERPRISE: "price_fake_enterprise",
  STRIPE_PRICE_CREDITS: "price_fake_credits",
};
let stripe: FakeStripe;

beforeAll(async () => {
  stripe = await startFakeStripe();
});
afterAll(() => stripe.close());
withTestEnv(() => ({
  ...PRICES,
  STRIPE_SECRET_KEY: "sk_test_beacon_fake",
  STRIPE_API_BASE_URL: stripe.url,
  STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
  APP_URL: "http://beacon.test",
}));

async function newOrg(name = "Checkout Co") {
  const [org] = await db().insert(organizations).values({ name }).returning({ id: organizations.id });
  return org!.id;
}

async function orgPlan(orgId: string) {
  const [row] = await db().select({ plan: organizations.plan }).from(organizations).where(eq(organizations.id, orgId));
  return row!.plan;
}

/** Delivers Stripe's events for a completed checkout to the webhook, signed by the SDK. */
async function deliverAll(events: unknown[]) {
  for (const event of events) {
    const { payload, header } = signed(event);
    await receiveStripeWebhook(systemContextOf("billing"), { rawBody: payload, signature: header });
    const id = (event as { id: string }).id;
    const found = stripe.events.find((e) => e.event.id === id);
    if (found) found.delivered = true;
  }
}

describeEachDatabase(
  "Stripe Checkout, Portal, sync, pause and reconciliation against a Stripe-compatible server",
  () => {
    it("subscription checkout: customer first (metadata.org_id), org named three ways, 7-day trial, plan live on the return without any webhook", async () => {
      const orgId = await newOrg();
      const started = await startSubscriptionCheckout(await ownerContextOf(orgId), "pro");
      expect(started.trial).toBe(true);
      expect(started.url).toContain(`${stripe.url}/checkout/`);

      const customerCreate = stripe.requests.find(
        (r) => r.path === "/v1/customers" && r.params.metadata?.org_id === orgId,
      );
      expect(customerCreate?.params.metadata).toEqual({ org_id: orgId });
      expect(customerCreate?.idempotencyKey).toBe(`beacon-customer-${orgId}`);
      const sessionCreate = stripe.requests.filter((r) => r.path === "/v1/checkout/sessions").at(-1)!;
      expect(sessionCreate.params).toMatchObject({
        mode: "subscription",
        client_reference_id: orgId,
        metadata: { org_id: orgId, plan: "pro" },
        subscription_data: { metadata: { org_id: orgId }, trial_period_days: "7" },
        line_items: [{ price: PRICES.STRIPE_PRICE_PRO, quantity: "1" }],
      });
      expect(sessionCreate.params.success_url).toContain("/settings/billing/return?session_id={CHECKOUT_SESSION_ID}");

      // Not paid yet: the return changes nothing.
      expect(await finishCheckout(await ownerContextOf(orgId), started.sessionId)).toMatchObject({ complete: false });
      expect(await orgPlan(orgId)).toBe("free");

      stripe.completeCheckout(started.sessionId);
      const finished = await finishCheckout(await ownerContextOf(orgId), started.sessionId);
      expect(finished).toMatchObject({ complete: true, plan: "pro" });
      expect(await orgPlan(orgId)).toBe("pro");
      const overview = await billingOverview(await ownerContextOf(orgId));
      expect(overview.subscription).toMatchObject({ status: "trialing", plan: "pro", cancelAtPeriodEnd: false });
      expect(overview.subscription?.trialEnd).toBeInstanceOf(Date);
      expect(overview.trialAvailable).toBe(false);
      expect(overview.usage.quotaMonthly).toBe(50_000);

      const [audit] = await db().select().from(auditLog).where(eq(auditLog.orgId, orgId));
      expect(audit).toMatchObject({
        action: "billing.checkout.started",
        actorType: "user",
        targetId: started.sessionId,
      });
    });

    it("the webhook arriving after the return (or twice) changes nothing more; sync is idempotent", async () => {
      const orgId = await newOrg();
      const started = await startSubscriptionCheckout(await ownerContextOf(orgId), "starter");
      const events = stripe.completeCheckout(started.sessionId);
      await finishCheckout(await ownerContextOf(orgId), started.sessionId);
      const [before] = await db().select().from(subscriptions).where(eq(subscriptions.orgId, orgId));
      await deliverAll(events);
      await deliverAll(events);
      const customer = (await db().select().from(billingCustomers).where(eq(billingCustomers.orgId, orgId)))[0]!
        .stripeCustomerId;
      await syncStripeCustomer(systemContextOf("billing"), customer);
      await syncStripeCustomer(systemContextOf("billing"), customer);
      const rows = await db().select().from(subscriptions).where(eq(subscriptions.orgId, orgId));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ status: before!.status, plan: "starter", priceId: PRICES.STRIPE_PRICE_STARTER });
      expect(await orgPlan(orgId)).toBe("starter");
    });

    it("the trial is offered once per org, and an org that already pays is sent to the portal", async () => {
      const orgId = await newOrg();
      const first = await startSubscriptionCheckout(await ownerContextOf(orgId), "starter");
      stripe.completeCheckout(first.sessionId);
      await finishCheckout(await ownerContextOf(orgId), first.sessionId);
      expect((await appErrorOf(startSubscriptionCheckout(await ownerContextOf(orgId), "pro"))).code).toBe("conflict");

      // Canceled: may subscribe again, without a second trial.
      const subId = stripe.sessions.get(first.sessionId)!.subscription;
      stripe.updateSubscription(
        subId,
        { status: "canceled", ended_at: Math.floor(Date.now() / 1000) },
        "customer.subscription.deleted",
      );
      const customer = stripe.sessions.get(first.sessionId)!.customer;
      await syncStripeCustomer(systemContextOf("billing"), customer);
      expect(await orgPlan(orgId)).toBe("free");
      expect(await trialAvailable(await ownerContextOf(orgId))).toBe(false);
      const second = await startSubscriptionCheckout(await ownerContextOf(orgId), "pro");
      expect(second.trial).toBe(false);
      expect(
        stripe.requests.filter((r) => r.path === "/v1/checkout/sessions").at(-1)!.params.subscription_data
          .trial_period_days,
      ).toBeUndefined();
      // Same customer reused.
      expect(stripe.requests.filter((r) => r.path === "/v1/checkout/sessions").at(-1)!.params.customer).toBe(customer);
    });

    it("a session of another org, an unknown session or a malformed id is not found", async () => {
      const mine = await newOrg("Mine");
      const theirs = await newOrg("Theirs");
      const started = await startSubscriptionCheckout(await ownerContextOf(theirs), "starter");
      stripe.completeCheckout(started.sessionId);
      expect((await appErrorOf(finishCheckout(await ownerContextOf(mine), started.sessionId))).code).toBe("not_found");
      expect((await appErrorOf(finishCheckout(await ownerContextOf(mine), "cs_test_doesnotexist"))).code).toBe(
        "not_found",
      );
      expect((await appErrorOf(finishCheckout(await ownerContextOf(mine), "../../v1/customers"))).code).toBe(
        "not_found",
      );
      expect(await orgPlan(mine)).toBe("free");
    });

    it("credit pack: +1,000 once, on the return and again via the webhook", async () => {
      const orgId = await newOrg();
      const started = await startCreditPackCheckout(await ownerContextOf(orgId));
      expect(stripe.requests.filter((r) => r.path === "/v1/checkout/sessions").at(-1)!.params).toMatchObject({
        mode: "payment",
        line_items: [{ price: PRICES.STRIPE_PRICE_CREDITS }],
      });
      const events = stripe.completeCheckout(started.sessionId);
      await finishCheckout(await ownerContextOf(orgId), started.sessionId);
      await finishCheckout(await ownerContextOf(orgId), started.sessionId);
      await deliverAll(events);
      const packs = await db().select().from(creditPacks).where(eq(creditPacks.orgId, orgId));
      expect(packs).toHaveLength(1);
      const [quota] = await db().select().from(usageQuotas).where(eq(usageQuotas.orgId, orgId));
      expect(quota).toMatchObject({ quotaRemaining: 100, creditsRemaining: CREDIT_PACK_CREDITS });
    });

    it("portal session for the org's customer; none before a billing account exists", async () => {
      const orgId = await newOrg();
      expect((await appErrorOf(openCustomerPortal(await ownerContextOf(orgId)))).code).toBe("conflict");
      const started = await startSubscriptionCheckout(await ownerContextOf(orgId), "starter");
      const { url } = await openCustomerPortal(await ownerContextOf(orgId));
      expect(url).toContain(`${stripe.url}/portal/`);
      const portal = stripe.requests.filter((r) => r.path === "/v1/billing_portal/sessions").at(-1)!;
      expect(portal.params).toEqual({
        customer: stripe.sessions.get(started.sessionId)!.customer,
        return_url: "http://beacon.test/settings/billing",
      });
    });

    it("pause loses paid features but keeps the org; resume restores them; both audited", async () => {
      const orgId = await newOrg();
      const started = await startSubscriptionCheckout(await ownerContextOf(orgId), "pro");
      stripe.completeCheckout(started.sessionId);
      await finishCheckout(await ownerContextOf(orgId), started.sessionId);
      const billing = await addMember(orgId, "billing");
      const billingCtx = orgContext(orgId, memberActor(billing.actor.userId, "billing"), { requestId: "req_pause" });
      expect(await pauseSubscription(billingCtx)).toEqual({ plan: "free" });
      expect(await orgPlan(orgId)).toBe("free");
      expect((await billingOverview(await ownerContextOf(orgId))).subscription?.status).toBe("paused");
      expect((await appErrorOf(pauseSubscription(await ownerContextOf(orgId)))).code).toBe("conflict");

      // A stale webhook from before the pause must not un-pause it.
      const created = stripe.events.find(
        (e) =>
          e.event.type === "customer.subscription.created" &&
          e.event.data.object.customer === stripe.sessions.get(started.sessionId)!.customer,
      )!;
      await deliverAll([created.event]);
      expect(await orgPlan(orgId)).toBe("free");

      const owner = (await ownerContextOf(orgId)).actor;
      expect(await resumeSubscription(orgContext(orgId, owner, { requestId: "req_resume" }))).toEqual({ plan: "pro" });
      expect(await orgPlan(orgId)).toBe("pro");
      const trail = await db().select().from(auditLog).where(eq(auditLog.orgId, orgId));
      const paused = trail.find((r) => r.action === "billing.subscription.paused");
      expect(paused).toMatchObject({
        actorEmail: billing.email,
        requestId: "req_pause",
        before: { plan: "pro" },
      });
      expect(paused?.after).toMatchObject({ plan: "free", pause_collection: "void" });
      expect(trail.some((r) => r.action === "billing.subscription.resumed" && r.requestId === "req_resume")).toBe(true);
    });

    it("extend trial moves Stripe's trial end (no proration), stores it, audits before/after; refused without a trial", async () => {
      const orgId = await newOrg("Trial Co");
      const started = await startSubscriptionCheckout(await ownerContextOf(orgId), "starter");
      stripe.completeCheckout(started.sessionId);
      await finishCheckout(await ownerContextOf(orgId), started.sessionId);
      const [before] = await db()
        .select({ trialEnd: subscriptions.trialEnd, id: subscriptions.stripeSubscriptionId })
        .from(subscriptions)
        .where(eq(subscriptions.orgId, orgId));
      const operator: OperatorActor = {
        kind: "operator",
        userId: "00000000-0000-4000-8000-0000000000aa",
        email: "ops@example.com",
      };

      const extended = await extendTrial(orgContext(orgId, operator, { requestId: "req_trial" }), 5, {
        reason: "migration delay",
      });
      expect(extended.trialEnd!.getTime()).toBe(before!.trialEnd!.getTime() + 5 * 86_400_000);
      expect(extended.plan).toBe("starter");
      const update = stripe.requests
        .filter((r) => r.path === `/v1/subscriptions/${before!.id}` && r.method === "POST")
        .at(-1)!;
      expect(update.params).toMatchObject({
        trial_end: String(extended.trialEnd!.getTime() / 1000),
        proration_behavior: "none",
      });
      const [after] = await db()
        .select({ trialEnd: subscriptions.trialEnd })
        .from(subscriptions)
        .where(eq(subscriptions.orgId, orgId));
      expect(after!.trialEnd!.getTime()).toBe(extended.trialEnd!.getTime());
      const [audit] = await db().select().from(auditLog).where(eq(auditLog.action, "ops.customer.trial_extended"));
      expect(audit).toMatchObject({
        orgId,
        actorEmail: "ops@example.com",
        reason: "migration delay",
        requestId: "req_trial",
        before: { trial_end: before!.trialEnd!.toISOString() },
      });
      expect(audit!.after).toMatchObject({ trial_end: extended.trialEnd!.toISOString(), days: 5 });

      expect((await appErrorOf(extendTrial(contextOf(orgId, operator), 0))).code).toBe("validation_failed");
      expect((await appErrorOf(extendTrial(contextOf(orgId, operator), MAX_TRIAL_EXTENSION_DAYS + 1))).code).toBe(
        "validation_failed",
      );
      const noTrial = await newOrg("No Trial Co");
      expect((await appErrorOf(extendTrial(contextOf(noTrial, operator), 3))).code).toBe("conflict");
    });

    it("reconciliation processes events Stripe failed to deliver, once; sync of paying customers converges changes made in the portal", async () => {
      const orgId = await newOrg();
      const started = await startSubscriptionCheckout(await ownerContextOf(orgId), "starter");
      const events = stripe.completeCheckout(started.sessionId);
      const emittedBefore = stripe.events.length;
      const first = await reconcileStripeEvents(systemContextOf("billing"));
      // What the first run itself made Stripe send (e.g. an earlier org's other open checkout expired once its completion was processed).
      const causedByFirst = stripe.events.length - emittedBefore;
      expect(first.failed).toEqual([]);
      expect(first.processed).toBeGreaterThanOrEqual(events.length);
      for (const e of events) {
        const [row] = await db().select().from(stripeEvents).where(eq(stripeEvents.id, e.id));
        expect(row?.status).toBe("processed");
      }
      expect(await orgPlan(orgId)).toBe("starter");
      const again = await reconcileStripeEvents(systemContextOf("billing"));
      expect(again.processed).toBe(causedByFirst);

      // Canceled in the portal; the webhook is lost: the nightly sync still converges.
      const subId = stripe.sessions.get(started.sessionId)!.subscription;
      stripe.updateSubscription(subId, { cancel_at_period_end: true });
      const synced = await syncPayingCustomers(systemContextOf("billing"));
      expect(synced.failed).toEqual([]);
      const [row] = await db().select().from(subscriptions).where(eq(subscriptions.stripeSubscriptionId, subId));
      expect(row?.cancelAtPeriodEnd).toBe(true);
    });

    it("re-processing a failed event fetches it from Stripe and applies it; a processed one is refused", async () => {
      const orgId = await newOrg();
      const started = await startSubscriptionCheckout(await ownerContextOf(orgId), "pro");
      const [checkoutEvent] = stripe.completeCheckout(started.sessionId);
      await db()
        .insert(stripeEvents)
        .values({
          id: checkoutEvent.id,
          type: checkoutEvent.type,
          created: new Date(checkoutEvent.created * 1000),
          status: "failed",
          attempts: 1,
          lastError: "boom",
        });
      const operator = operatorContextOf({ userId: "op-1", email: "ops@example.com" }, { requestId: "req_ops" });
      expect(await reprocessStripeEvent(operator, checkoutEvent.id)).toMatchObject({
        status: "processed",
        error: null,
      });
      const [link] = await db().select().from(billingCustomers).where(eq(billingCustomers.orgId, orgId));
      expect(link?.stripeCustomerId).toBe(stripe.sessions.get(started.sessionId)!.customer);
      expect((await appErrorOf(reprocessStripeEvent(operator, checkoutEvent.id))).code).toBe("conflict");
      expect((await appErrorOf(reprocessStripeEvent(operator, "evt_unknown"))).code).toBe("not_found");
      const [audit] = await db().select().from(auditLog).where(eq(auditLog.targetId, checkoutEvent.id));
      expect(audit).toMatchObject({
        action: "ops.stripe_event.reprocessed",
        actorType: "operator",
        before: { status: "failed" },
        after: { status: "processed", error: null },
      });
    });

    it("a brief Stripe outage is absorbed by the SDK's retries with one customer created", async () => {
      const orgId = await newOrg();
      stripe.failNext(2);
      await startSubscriptionCheckout(await ownerContextOf(orgId), "starter");
      const created = [...stripe.customers.values()].filter((c) => c.metadata?.org_id === orgId);
      expect(created).toHaveLength(1);
    });
  },
);
