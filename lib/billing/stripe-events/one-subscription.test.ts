import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { db } from "@/db/client";
import { auditLog, organizations, stripeEvents, subscriptions } from "@/db/schema";
import { describeEachDatabase } from "@/tests/db";
import { withTestEnv } from "@/tests/env";
import { startFakeStripe, type FakeStripe } from "@/tests/fakes/stripe-api";
import { signed, TEST_WEBHOOK_SECRET } from "@/tests/fixtures/stripe/events";
import { ownerContextOf, systemContextOf } from "@/tests/support/factories";
import { startSubscriptionCheckout, trialAvailable } from "../checkout";
import { receiveStripeWebhook } from "../webhook";

// Two Checkout sessions of one org both completing (two tabs, two owners): the webhook keeps
// the org's oldest subscription and undoes the newer one through Stripe.
const PRICES = {
  STRIPE_PRICE_STARTER: "price_fake_starter",
  STRIPE_PRICE_PRO: "price_fake_pro",
  STRIPE_PRICE_ENTERPRISE: "price_fake_enterprise",
};
let clock = Math.floor(Date.now() / 1000);
let stripe: FakeStripe;
beforeAll(async () => {
  stripe = await startFakeStripe({ now: () => clock });
});
afterAll(() => stripe.close());
withTestEnv(() => ({
  ...PRICES,
  STRIPE_SECRET_KEY: "sk_test_beacon_fake",
  STRIPE_API_BASE_URL: stripe.url,
  STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
  APP_URL: "http://beacon.test",
}));

const at = () => new Date(clock * 1000);

async function newOrg(name: string) {
  const [org] = await db().insert(organizations).values({ name }).returning({ id: organizations.id });
  return org!.id;
}

async function deliver(events: { id: string }[]) {
  for (const event of events) {
    const { payload, header } = signed(event);
    await receiveStripeWebhook(systemContextOf("billing", at()), { rawBody: payload, signature: header });
  }
}

/** Everything Stripe has sent so far and not yet delivered (the follow-up events of a cancel or refund). */
function pendingEvents() {
  const out = stripe.events.filter((e) => !e.delivered);
  for (const e of out) e.delivered = true;
  return out.map((e) => e.event);
}

/** Two sessions opened side by side, then both paid before any webhook arrived; the second is paid `gap` seconds later. */
async function twoCompletedCheckouts(orgId: string, gap = 5) {
  const first = await startSubscriptionCheckout(await ownerContextOf(orgId), "pro");
  const second = await startSubscriptionCheckout(await ownerContextOf(orgId), "starter");
  clock += 60;
  const firstEvents = stripe.completeCheckout(first.sessionId);
  clock += gap;
  const secondEvents = stripe.completeCheckout(second.sessionId);
  for (const e of stripe.events)
    if ([...firstEvents, ...secondEvents].some((s) => s.id === e.event.id)) e.delivered = true;
  const subOf = (sessionId: string) => stripe.sessions.get(sessionId)!.subscription as string;
  return { first, second, firstEvents, secondEvents, kept: subOf(first.sessionId), duplicate: subOf(second.sessionId) };
}

async function liveRows(orgId: string) {
  const rows = await db().select().from(subscriptions).where(eq(subscriptions.orgId, orgId));
  return rows.filter((r) => r.status !== "canceled");
}

const auditOf = (orgId: string, action: string) =>
  db()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.orgId, orgId), eq(auditLog.action, action)));

describeEachDatabase(
  "one subscription per org, one trial ever, against the Stripe-wire fake through the webhook",
  () => {
    it("two trial checkouts both complete: the newer subscription is cancelled (nothing charged, nothing refunded), audited and noted; one trial", async () => {
      const orgId = await newOrg("Two Tabs Co");
      const race = await twoCompletedCheckouts(orgId);
      expect(race.first.trial && race.second.trial).toBe(true);

      await deliver([...race.firstEvents, ...race.secondEvents]);

      expect(stripe.subscriptions.get(race.kept)!.status).toBe("trialing");
      expect(stripe.subscriptions.get(race.duplicate)!.status).toBe("canceled");
      expect(
        stripe.requests.filter((r) => r.method === "DELETE" && r.path === `/v1/subscriptions/${race.duplicate}`),
      ).toHaveLength(1);
      expect([...stripe.refunds.values()].filter((r) => r.metadata.subscription === race.duplicate)).toEqual([]);

      expect((await liveRows(orgId)).map((r) => r.stripeSubscriptionId)).toEqual([race.kept]);
      expect(
        (await db().select({ plan: organizations.plan }).from(organizations).where(eq(organizations.id, orgId)))[0]!
          .plan,
      ).toBe("pro");
      expect(await trialAvailable(await ownerContextOf(orgId))).toBe(false);

      const [audit] = await auditOf(orgId, "billing.subscription.duplicate_canceled");
      expect(audit).toMatchObject({
        actorType: "system",
        targetId: race.duplicate,
        after: { status: "canceled", kept_subscription: race.kept, refunded_cents: 0 },
      });
      expect(audit!.reason).toMatch(/nothing had been charged/);
      const noted = (await db().select({ metadata: stripeEvents.metadata }).from(stripeEvents)).filter((e) =>
        (e.metadata?.duplicate_subscriptions_canceled as string[] | undefined)?.includes(race.duplicate),
      );
      expect(noted).toHaveLength(1);

      // Stripe's follow-up events (the cancellation) and a re-delivery of everything change nothing more.
      await deliver([...pendingEvents(), ...race.secondEvents, ...race.firstEvents]);
      expect((await liveRows(orgId)).map((r) => r.stripeSubscriptionId)).toEqual([race.kept]);
      expect(await auditOf(orgId, "billing.subscription.duplicate_canceled")).toHaveLength(1);
    });

    it("two charged checkouts, webhooks out of order: the newer one is refunded what it charged and cancelled; the older one stays", async () => {
      const orgId = await newOrg("Paid Twice Co");
      // The trial was used long ago.
      await db()
        .insert(subscriptions)
        .values({
          orgId,
          stripeSubscriptionId: `sub_old_${orgId.slice(0, 8)}`,
          status: "canceled",
          trialEnd: new Date("2025-01-01T00:00:00Z"),
        });
      const race = await twoCompletedCheckouts(orgId);
      expect(race.first.trial || race.second.trial).toBe(false);
      expect(stripe.subscriptions.get(race.duplicate)!.status).toBe("active");

      await deliver([...race.secondEvents, ...race.firstEvents]);

      expect(stripe.subscriptions.get(race.kept)!.status).toBe("active");
      expect(stripe.subscriptions.get(race.duplicate)!.status).toBe("canceled");
      const refunds = [...stripe.refunds.values()].filter((r) => r.metadata.subscription === race.duplicate);
      expect(refunds).toMatchObject([{ amount: 2900, reason: "duplicate", status: "succeeded" }]);
      expect(stripe.requests.find((r) => r.path === "/v1/refunds")?.idempotencyKey).toMatch(
        /^beacon-duplicate-refund-/,
      );
      expect([...stripe.refunds.values()].filter((r) => r.metadata.subscription === race.kept)).toEqual([]);

      expect((await liveRows(orgId)).map((r) => r.stripeSubscriptionId)).toEqual([race.kept]);
      const [audit] = await auditOf(orgId, "billing.subscription.duplicate_canceled");
      expect(audit).toMatchObject({
        targetId: race.duplicate,
        after: { refunded_cents: 2900, kept_subscription: race.kept },
      });

      await deliver([...pendingEvents(), ...race.secondEvents]);
      expect([...stripe.refunds.values()].filter((r) => r.metadata.subscription === race.duplicate)).toHaveLength(1);
    });

    it("deliveries for both subscriptions at the same time: exactly one is cancelled, once", async () => {
      const orgId = await newOrg("Concurrent Co");
      const race = await twoCompletedCheckouts(orgId);
      const created = (events: { type?: string }[]) =>
        events.filter((e) => e.type === "customer.subscription.created") as { id: string }[];
      await Promise.all([deliver(created(race.firstEvents)), deliver(created(race.secondEvents))]);
      await deliver([...race.firstEvents, ...race.secondEvents]);
      expect(stripe.subscriptions.get(race.kept)!.status).toBe("trialing");
      expect(stripe.subscriptions.get(race.duplicate)!.status).toBe("canceled");
      expect(
        stripe.requests.filter((r) => r.method === "DELETE" && r.path === `/v1/subscriptions/${race.duplicate}`),
      ).toHaveLength(1);
      expect(await auditOf(orgId, "billing.subscription.duplicate_canceled")).toHaveLength(1);
    });

    it("when one checkout completes, the org's other open subscription checkouts are expired and cannot complete", async () => {
      const orgId = await newOrg("Many Tabs Co");
      const first = await startSubscriptionCheckout(await ownerContextOf(orgId), "pro");
      const second = await startSubscriptionCheckout(await ownerContextOf(orgId), "starter");
      clock += 30;
      await deliver(stripe.completeCheckout(first.sessionId));

      expect(stripe.sessions.get(first.sessionId)!.status).toBe("complete");
      expect(stripe.sessions.get(second.sessionId)!.status).toBe("expired");
      expect(stripe.requests.filter((r) => r.path === `/v1/checkout/sessions/${second.sessionId}/expire`)).toHaveLength(
        1,
      );
      expect(await auditOf(orgId, "billing.checkout.expired")).toMatchObject([
        { after: { expired_sessions: [second.sessionId], completed_session: first.sessionId } },
      ]);
      expect((await liveRows(orgId)).map((r) => r.stripeSubscriptionId)).toEqual([
        stripe.sessions.get(first.sessionId)!.subscription,
      ]);
    });
  },
);
