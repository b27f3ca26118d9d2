import { afterEach, describe, expect, it, vi } from "vitest";
import { eq, sql } from "drizzle-orm";
import { db, type Tx } from "@/db/client";
import { sqlTextLiteral, withSystem, withTenant } from "@/db/tenant";
import { billingCustomers, creditPacks, organizations, stripeEvents, subscriptions, usageQuotas } from "@/db/schema";
import { resetDueQuotas, setQuotaRemaining, usageReport } from "@/lib/metering";
import { systemActor } from "@/lib/context";
import { eventSender, registerEventSender } from "@/lib/outbox";
import { contextOf, systemContextOf } from "@/tests/support/factories";
import { appErrorOf } from "@/tests/app-error";
import { messagesDuring } from "@/tests/support/pg-messages";
import { describeEachDatabase, describeEachDatabaseAsApp } from "@/tests/db";
import { withTestEnv } from "@/tests/env";
import {
  fixture,
  FIXTURE_PRICE,
  signed,
  TEST_PRICES,
  TEST_WEBHOOK_SECRET,
  type Json,
} from "@/tests/fixtures/stripe/events";
import { DUNNING_GRACE_DAYS } from "@/lib/plans";
import { entitledPlan, syncOrgPlan } from "./org-plan";
import { STRIPE_EVENT_HANDLERS, type StripeEventHandler } from "./stripe-events";
import { CLAIM_LEASE_MS, receiveStripeWebhook } from "./webhook";
import { StripeCallNotHere, stripeClient } from "./stripe-client";
import { env } from "@/lib/env";

withTestEnv({ STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, ...TEST_PRICES });
afterEach(() => vi.restoreAllMocks());

const T0 = 1_700_000_000; // a fixed base for Stripe `created` values in derived events
let seq = 0;
const uniq = (prefix: string) => `${prefix}_t${Date.now().toString(36)}${(seq++).toString(36)}`;

function deliver(event: unknown, now = new Date()) {
  const { payload, header } = signed(event);
  return receiveStripeWebhook(systemContextOf("billing", now), { rawBody: payload, signature: header });
}

async function newOrg(name = "Billing Co") {
  const [org] = await db().insert(organizations).values({ name }).returning({ id: organizations.id });
  return org!.id;
}

/** customer.subscription.* from stripe-ruby-mock. Changed: event id, created, subscription id, customer, status, price, cancel_at_period_end, metadata.org_id. */
function subscriptionEvent(o: {
  type?: string;
  subId: string;
  customer: string;
  created: number;
  status?: string;
  price?: string;
  cancelAtPeriodEnd?: boolean;
  orgId?: string;
}) {
  const file =
    o.type === "customer.subscription.deleted"
      ? "stripe-ruby-mock__customer.subscription.deleted.json"
      : "stripe-ruby-mock__customer.subscription.updated.json";
  const event = fixture(file);
  event.id = uniq("evt");
  event.type = o.type ?? "customer.subscription.updated";
  event.created = o.created;
  const sub = event.data.object;
  sub.id = o.subId;
  sub.customer = o.customer;
  if (o.status) sub.status = o.status;
  if (o.price) sub.items.data[0].price.id = o.price;
  if (o.cancelAtPeriodEnd !== undefined) sub.cancel_at_period_end = o.cancelAtPeriodEnd;
  if (o.orgId) sub.metadata = { org_id: o.orgId };
  return event;
}

/** checkout.session.completed: stripe-ruby-mock envelope around pay's real subscription-mode session. Changed: event id, created, session id, client_reference_id, customer, subscription. */
function subscriptionCheckout(orgId: string, customer: string, subId: string, created = T0) {
  const event = fixture("stripe-ruby-mock__checkout.session.completed.json");
  event.id = uniq("evt");
  event.created = created;
  event.data.object = fixture("pay__checkout.session.completed.json").object;
  Object.assign(event.data.object, { id: uniq("cs"), client_reference_id: orgId, customer, subscription: subId });
  return event;
}

/** stripe-ruby-mock checkout.session.completed (mode=payment, paid); changed: event id, session id, client_reference_id, customer, payment_intent. */
function creditPackCheckout(orgId: string, paymentIntent = uniq("pi")) {
  const event = fixture("stripe-ruby-mock__checkout.session.completed.json");
  Object.assign(event, { id: uniq("evt") });
  Object.assign(event.data.object, {
    id: uniq("cs"),
    client_reference_id: orgId,
    customer: uniq("cus"),
    payment_intent: paymentIntent,
  });
  return event;
}

/** A new org whose subscription checkout was delivered: its ids, for the events that follow. */
async function subscribedOrg() {
  const orgId = await newOrg();
  const customer = uniq("cus");
  const subId = uniq("sub");
  await deliver(subscriptionCheckout(orgId, customer, subId));
  return { orgId, customer, subId };
}

/** The handler table, indexable by event type, so a test can spy on one handler. */
const handlers = STRIPE_EVENT_HANDLERS as Record<string, StripeEventHandler>;

async function subscriptionRow(subId: string) {
  const [row] = await db().select().from(subscriptions).where(eq(subscriptions.stripeSubscriptionId, subId));
  return row;
}
async function orgPlan(orgId: string) {
  const [row] = await db().select({ plan: organizations.plan }).from(organizations).where(eq(organizations.id, orgId));
  return row!.plan;
}
async function eventRow(id: string) {
  const [row] = await db().select().from(stripeEvents).where(eq(stripeEvents.id, id));
  return row;
}

describeEachDatabase("Stripe webhook", ({ driver }) => {
  it("refuses a bad signature, a stale signature and a tampered body with 400, and stores nothing", async () => {
    // Fixture unchanged except the event id.
    const event = fixture("stripe-ruby-mock__customer.updated.json");
    event.id = uniq("evt");
    const wrongSecret = signed(event, "whsec_someone_else");
    expect(
      (
        await appErrorOf(
          receiveStripeWebhook(systemContextOf("billing"), {
            rawBody: wrongSecret.payload,
            signature: wrongSecret.header,
          }),
        )
      ).code,
    ).toBe("invalid_payload");
    const stale = signed(event, TEST_WEBHOOK_SECRET, Math.floor(Date.now() / 1000) - 301);
    expect(
      (
        await appErrorOf(
          receiveStripeWebhook(systemContextOf("billing"), { rawBody: stale.payload, signature: stale.header }),
        )
      ).code,
    ).toBe("invalid_payload");
    const good = signed(event);
    expect(
      (
        await appErrorOf(
          receiveStripeWebhook(systemContextOf("billing"), {
            rawBody: good.payload.replace("cus_", "cus_X"),
            signature: good.header,
          }),
        )
      ).code,
    ).toBe("invalid_payload");
    expect(
      (await appErrorOf(receiveStripeWebhook(systemContextOf("billing"), { rawBody: good.payload, signature: null })))
        .code,
    ).toBe("invalid_payload");
    expect(await eventRow(event.id)).toBeUndefined();
  });

  it("checkout links org ↔ customer ↔ subscription; subscription events set the plan; a duplicate changes nothing", async () => {
    const orgId = await newOrg();
    const customer = uniq("cus");
    const subId = uniq("sub");
    expect(await deliver(subscriptionCheckout(orgId, customer, subId))).toMatchObject({
      received: true,
      duplicate: false,
    });
    const [link] = await db().select().from(billingCustomers).where(eq(billingCustomers.orgId, orgId));
    expect(link!.stripeCustomerId).toBe(customer);

    // customer.subscription.created fixture; changed: id, created, subscription id, customer (price = fixture price = Pro).
    const created = fixture("stripe-ruby-mock__customer.subscription.created.json");
    created.id = uniq("evt");
    created.created = T0 + 10;
    Object.assign(created.data.object, { id: subId, customer });
    expect(await deliver(created)).toMatchObject({ received: true, duplicate: false });
    const row = await subscriptionRow(subId);
    expect(row).toMatchObject({
      orgId,
      status: "active",
      priceId: FIXTURE_PRICE,
      plan: "pro",
      cancelAtPeriodEnd: false,
    });
    expect(row!.currentPeriodEnd?.getTime()).toBe(created.data.object.current_period_end * 1000);
    expect(row!.stripeEventCreated?.getTime()).toBe((T0 + 10) * 1000);
    expect(await orgPlan(orgId)).toBe("pro");

    const before = { row: await subscriptionRow(subId), event: await eventRow(created.id), plan: await orgPlan(orgId) };
    const again = signed(created);
    expect(
      await receiveStripeWebhook(systemContextOf("billing", new Date(Date.now() + 3_600_000)), {
        rawBody: again.payload,
        signature: again.header,
      }),
    ).toMatchObject({
      received: true,
      duplicate: true,
    });
    expect({
      row: await subscriptionRow(subId),
      event: await eventRow(created.id),
      plan: await orgPlan(orgId),
    }).toEqual(before);
    expect(before.event).toMatchObject({
      status: "processed",
      attempts: 1,
      type: "customer.subscription.created",
      objectId: subId,
      orgId,
    });
    // Only ids and status fields are kept about the object.
    expect(before.event!.metadata).toEqual({
      object: "subscription",
      status: "active",
      customer,
      cancel_at_period_end: false,
    });
  });

  it("ignores an event older than the subscription state already stored (out of order)", async () => {
    const { orgId, customer, subId } = await subscribedOrg();
    // Changed: status past_due / canceled, cancel_at_period_end, created (newer first).
    await deliver(
      subscriptionEvent({ subId, customer, created: T0 + 20, status: "past_due", cancelAtPeriodEnd: true }),
    );
    expect(await deliver(subscriptionEvent({ subId, customer, created: T0 + 15, status: "canceled" }))).toMatchObject({
      received: true,
      duplicate: false,
    });
    expect(await subscriptionRow(subId)).toMatchObject({ status: "past_due", cancelAtPeriodEnd: true });
    expect((await subscriptionRow(subId))!.stripeEventCreated?.getTime()).toBe((T0 + 20) * 1000);
    expect(await orgPlan(orgId)).toBe("pro"); // past_due keeps the plan during the grace period

    // customer.subscription.deleted fixture (status canceled); changed: id, created, subscription id, customer.
    await deliver(subscriptionEvent({ type: "customer.subscription.deleted", subId, customer, created: T0 + 30 }));
    expect(await subscriptionRow(subId)).toMatchObject({ status: "canceled" });
    expect(await orgPlan(orgId)).toBe("free");
  });

  // Stripe's `created` has one-second resolution: two events of one subscription in the same
  // second must end in the same state whatever order they arrive in.
  const sameSecondPairs: {
    name: string;
    earlier: { status: string; type?: string; price?: string };
    later: { status: string; type?: string; price?: string };
    plan: string;
  }[] = [
    {
      name: "created incomplete → first payment active",
      earlier: { status: "incomplete", type: "customer.subscription.created" },
      later: { status: "active" },
      plan: "pro",
    },
    { name: "trial ends → active", earlier: { status: "trialing" }, later: { status: "active" }, plan: "pro" },
    {
      name: "trial ends without a payment method → paused",
      earlier: { status: "trialing" },
      later: { status: "paused" },
      plan: "free",
    },
    { name: "renewal fails → past_due", earlier: { status: "active" }, later: { status: "past_due" }, plan: "pro" },
    { name: "retries exhausted → unpaid", earlier: { status: "past_due" }, later: { status: "unpaid" }, plan: "free" },
    {
      name: "canceled immediately",
      earlier: { status: "active" },
      later: { status: "canceled", type: "customer.subscription.deleted" },
      plan: "free",
    },
    {
      name: "incomplete expires",
      earlier: { status: "incomplete", type: "customer.subscription.created" },
      later: { status: "incomplete_expired" },
      plan: "free",
    },
  ];
  for (const pair of sameSecondPairs) {
    it(`same-second events settle the same in both arrival orders: ${pair.name}`, async () => {
      const outcomes: unknown[] = [];
      for (const order of ["in order", "reversed"] as const) {
        const orgId = await newOrg();
        const customer = uniq("cus");
        const subId = uniq("sub");
        await deliver(subscriptionCheckout(orgId, customer, subId, T0));
        const events = [pair.earlier, pair.later].map((e) =>
          subscriptionEvent({ ...e, subId, customer, created: T0 + 60 }),
        );
        for (const event of order === "in order" ? events : events.reverse())
          expect(await deliver(event)).toMatchObject({ duplicate: false });
        const row = await subscriptionRow(subId);
        outcomes.push({ status: row!.status, plan: await orgPlan(orgId) });
      }
      expect(outcomes[0]).toEqual({ status: pair.later.status, plan: pair.plan });
      expect(outcomes[1]).toEqual(outcomes[0]);
    });
  }

  it("a subscription event before the checkout is stored unlinked and linked by the checkout", async () => {
    const orgId = await newOrg();
    const customer = uniq("cus");
    const subId = uniq("sub");
    // Changed: subscription id, customer, created, price → Enterprise test price.
    await deliver(subscriptionEvent({ subId, customer, created: T0 + 5, price: TEST_PRICES.STRIPE_PRICE_ENTERPRISE }));
    expect(await subscriptionRow(subId)).toMatchObject({ orgId: null, plan: "enterprise", status: "active" });
    await deliver(subscriptionCheckout(orgId, customer, subId, T0 + 1));
    expect(await subscriptionRow(subId)).toMatchObject({ orgId, plan: "enterprise", status: "active" });
    expect(await orgPlan(orgId)).toBe("enterprise");
  });

  it("records payment failures and payments in both invoice shapes", async () => {
    const { customer, subId } = await subscribedOrg();

    // Old shape: stripe-ruby-mock invoice.payment_failed; changed: event id, created, invoice.subscription, invoice.customer.
    const oldFailed = fixture("stripe-ruby-mock__invoice.payment_failed.json");
    Object.assign(oldFailed, { id: uniq("evt"), created: T0 + 100 });
    Object.assign(oldFailed.data.object, { subscription: subId, customer });
    await deliver(oldFailed);
    let row = await subscriptionRow(subId);
    expect(row!.paymentFailedAt?.getTime()).toBe((T0 + 100) * 1000);
    expect(row!.failedInvoiceId).toBe(oldFailed.data.object.id);

    // Old shape invoice.paid; changed: event id, created, invoice.subscription, invoice.customer.
    const oldPaid = fixture("stripe-ruby-mock__invoice.paid.json");
    Object.assign(oldPaid, { id: uniq("evt"), created: T0 + 200 });
    Object.assign(oldPaid.data.object, { subscription: subId, customer });
    await deliver(oldPaid);
    row = await subscriptionRow(subId);
    expect(row).toMatchObject({ paymentFailedAt: null, failedInvoiceId: null });

    // New shape: pay's basil-era invoice (no top-level subscription) in the stripe-ruby-mock envelope;
    // changed: event id, created, parent.subscription_details.subscription, customer.
    const newFailed = fixture("stripe-ruby-mock__invoice.payment_failed.json");
    Object.assign(newFailed, { id: uniq("evt"), created: T0 + 300 });
    newFailed.data = fixture("pay__invoice.payment_failed.json");
    newFailed.data.object.parent.subscription_details.subscription = subId;
    newFailed.data.object.customer = customer;
    expect("subscription" in newFailed.data.object).toBe(false);
    await deliver(newFailed);
    row = await subscriptionRow(subId);
    expect(row!.paymentFailedAt?.getTime()).toBe((T0 + 300) * 1000);
    expect(row!.failedInvoiceId).toBe("in_1234");
    expect((await eventRow(newFailed.id))!.metadata).toMatchObject({ subscription: subId, customer });

    // An older invoice.paid (created T0 + 250) arriving late does not end the newer dunning.
    const latePaid = fixture("stripe-ruby-mock__invoice.paid.json");
    Object.assign(latePaid, { id: uniq("evt"), created: T0 + 250 });
    Object.assign(latePaid.data.object, { subscription: subId, customer });
    await deliver(latePaid);
    expect((await subscriptionRow(subId))!.failedInvoiceId).toBe("in_1234");

    // New-shape invoice.paid: pay's invoice with status paid; changed: event id, type, created, status, subscription, customer.
    const newPaid = structuredClone(newFailed);
    Object.assign(newPaid, { id: uniq("evt"), type: "invoice.paid", created: T0 + 400 });
    newPaid.data.object.status = "paid";
    await deliver(newPaid);
    expect(await subscriptionRow(subId)).toMatchObject({ paymentFailedAt: null, failedInvoiceId: null });
  });

  it("a failed payment keeps the plan through the grace period, then free; paying gives it back; dunning events emitted once", async () => {
    const { orgId, customer, subId } = await subscribedOrg();
    await deliver(
      subscriptionEvent({ subId, customer, created: T0 + 1, status: "active", price: FIXTURE_PRICE, orgId }),
    );
    expect(await orgPlan(orgId)).toBe("pro");

    const failedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    // stripe-ruby-mock invoice.payment_failed; changed: event id, created, subscription, customer.
    const failed = fixture("stripe-ruby-mock__invoice.payment_failed.json");
    Object.assign(failed, { id: uniq("evt"), created: failedAt.getTime() / 1000 });
    Object.assign(failed.data.object, { subscription: subId, customer });
    const first = await deliver(failed, failedAt);
    expect(first.events).toEqual([
      {
        name: "billing/invoice.payment_failed",
        id: `stripe-${failed.id}`,
        data: expect.objectContaining({ org_id: orgId, invoice_id: failed.data.object.id, subscription_id: subId }),
      },
    ]);
    expect(await orgPlan(orgId)).toBe("pro");
    expect((await deliver(failed, failedAt)).events).toEqual([]);

    const graceOver = new Date(failedAt.getTime() + DUNNING_GRACE_DAYS * 86_400_000);
    await db().transaction((tx) => syncOrgPlan(tx, orgId, new Date(graceOver.getTime() - 1000)));
    expect(await orgPlan(orgId)).toBe("pro");
    await db().transaction((tx) => syncOrgPlan(tx, orgId, graceOver));
    expect(await orgPlan(orgId)).toBe("free");

    // stripe-ruby-mock invoice.paid; changed: event id, created, subscription, customer.
    const paid = fixture("stripe-ruby-mock__invoice.paid.json");
    Object.assign(paid, { id: uniq("evt"), created: failedAt.getTime() / 1000 + 60 });
    Object.assign(paid.data.object, { subscription: subId, customer });
    const paidOutcome = await deliver(paid, graceOver);
    expect(paidOutcome.events.map((e) => [e.name, e.id])).toEqual([["billing/invoice.paid", `stripe-${paid.id}`]]);
    expect(await orgPlan(orgId)).toBe("pro");
  });

  it("grants a credit pack once per session and takes refunded credits back, never below 0", async () => {
    const orgId = await newOrg();
    await setQuotaRemaining(contextOf(orgId, systemActor("seed")), 40);
    const pi = uniq("pi");
    const session = creditPackCheckout(orgId, pi);
    await deliver(session);
    // The same session in another event (Stripe resend with a new event id) grants nothing more.
    await deliver({ ...session, id: uniq("evt") });
    const balances = async () => {
      const [row] = await db().select().from(usageQuotas).where(eq(usageQuotas.orgId, orgId));
      return { allowance: row!.quotaRemaining, credits: row!.creditsRemaining };
    };
    expect(await balances()).toEqual({ allowance: 40, credits: 1_000 });
    expect(await db().select().from(creditPacks).where(eq(creditPacks.orgId, orgId))).toHaveLength(1);

    // charge.refunded fixture; changed: event id, created, payment_intent, amount 1000, amount_refunded 300, refunded false (partial).
    const partial = fixture("stripe-ruby-mock__charge.refunded.json");
    Object.assign(partial, { id: uniq("evt"), created: T0 + 1 });
    Object.assign(partial.data.object, { payment_intent: pi, amount: 1000, amount_refunded: 300, refunded: false });
    await deliver(partial);
    expect(await balances()).toEqual({ allowance: 40, credits: 700 });

    // 600 credits spent meanwhile (the allowance is never taken back for a refunded pack).
    await db().update(usageQuotas).set({ creditsRemaining: 100 }).where(eq(usageQuotas.orgId, orgId));
    // Full refund; changed as above with amount_refunded 1000, refunded true: 700 more to take back, only 100 left.
    const full = structuredClone(partial);
    Object.assign(full, { id: uniq("evt"), created: T0 + 2 });
    Object.assign(full.data.object, { amount_refunded: 1000, refunded: true });
    await deliver(full);
    expect(await balances()).toEqual({ allowance: 40, credits: 0 });
    const [pack] = await db().select().from(creditPacks).where(eq(creditPacks.orgId, orgId));
    expect(pack!.creditsRevoked).toBe(1_000);
  });

  // PGlite has one connection: there the held batch would hold up the refunds' claims too.
  if (driver === "postgres")
    it("refunds applied in one batch, two of one pack and two of one org's other packs: each takes back its share once", async () => {
      const orgId = await newOrg();
      await setQuotaRemaining(contextOf(orgId, systemActor("seed")), 40);
      const intents = [uniq("pi"), uniq("pi"), uniq("pi")];
      for (const pi of intents) await deliver(creditPackCheckout(orgId, pi));
      // charge.refunded fixture (no customer); changed: event id, created, payment_intent, amount, amount_refunded, refunded.
      const refund = (pi: string, refunded: number, created: number) => {
        const event = fixture("stripe-ruby-mock__charge.refunded.json");
        Object.assign(event, { id: uniq("evt"), created });
        Object.assign(event.data.object, {
          payment_intent: pi,
          amount: 1000,
          amount_refunded: refunded,
          refunded: refunded === 1000,
        });
        return event;
      };
      const refunds = [
        refund(intents[0]!, 300, T0 + 1),
        refund(intents[0]!, 1000, T0 + 2),
        refund(intents[1]!, 500, T0 + 1),
        refund(intents[2]!, 1000, T0 + 1),
      ];
      // A batch held open while the four are claimed: they are then applied together, in the next.
      let release = () => {};
      const gate = new Promise<void>((resolve) => (release = resolve));
      let holding = () => {};
      const held = new Promise<void>((resolve) => (holding = resolve));
      const realCustomer = handlers["customer.updated"]!;
      vi.spyOn(handlers, "customer.updated").mockImplementationOnce(async (tx, evs, now) => {
        holding();
        await gate;
        return realCustomer(tx, evs, now);
      });
      const refunded = vi.spyOn(handlers, "charge.refunded");
      const blocker = fixture("stripe-ruby-mock__customer.updated.json");
      blocker.id = uniq("evt");
      const first = deliver(blocker);
      await held;
      const applied = refunds.map((event) => deliver(event));
      await vi.waitFor(async () => {
        for (const event of refunds) expect(await eventRow(event.id)).toMatchObject({ status: "processing" });
      });
      release();
      await Promise.all([first, ...applied]);
      // The batch saw all four; two refunds of one pack make it apply each event on its own.
      expect(refunded.mock.calls[0]![1].map((event) => event.id).sort()).toEqual(refunds.map((e) => e.id).sort());
      const packs = await db().select().from(creditPacks).where(eq(creditPacks.orgId, orgId));
      expect(Object.fromEntries(packs.map((pack) => [pack.stripePaymentIntentId, pack.creditsRevoked]))).toEqual({
        [intents[0]!]: 1_000,
        [intents[1]!]: 500,
        [intents[2]!]: 1_000,
      });
      expect(await usageReport(contextOf(orgId, systemActor("seed")))).toMatchObject({ credits_remaining: 500 });
    });

  it("a credit pack bought on the last day of the month is kept across the monthly rollover", async () => {
    const orgId = await newOrg();
    const lastDay = new Date("2033-01-31T22:00:00Z");
    await setQuotaRemaining(contextOf(orgId, systemActor("seed"), lastDay), 40);
    await deliver(creditPackCheckout(orgId), lastDay);
    expect(await usageReport(contextOf(orgId, systemActor("seed"), lastDay))).toMatchObject({
      quota_remaining: 40,
      credits_remaining: 1_000,
    });
    await resetDueQuotas(systemContextOf("metering", new Date("2033-02-01T00:00:00Z")));
    expect(await usageReport(contextOf(orgId, systemActor("seed"), new Date("2033-02-01T00:00:01Z")))).toMatchObject({
      quota_remaining: 100,
      credits_remaining: 1_000,
    });
  });

  it("stores and acknowledges unknown event types", async () => {
    // invoice.created fixture, changed: event id.
    const event = fixture("stripe-ruby-mock__invoice.created.json");
    event.id = uniq("evt");
    expect(await deliver(event)).toMatchObject({ received: true, duplicate: false });
    expect(await eventRow(event.id)).toMatchObject({ type: "invoice.created", status: "processed", attempts: 1 });
  });

  it("customer.updated stores nothing about the customer", async () => {
    const orgId = await newOrg();
    const customer = uniq("cus");
    await deliver(subscriptionCheckout(orgId, customer, uniq("sub")));
    // customer.updated fixture; changed: event id, customer id.
    const event = fixture("stripe-ruby-mock__customer.updated.json");
    event.id = uniq("evt");
    event.data.object.id = customer;
    await deliver(event);
    const row = await eventRow(event.id);
    expect(row).toMatchObject({ status: "processed", orgId, objectId: customer });
    expect(JSON.stringify(row)).not.toContain("@");
  });

  it("takes over a crashed claim once its lease expired, and leaves a live one alone", async () => {
    const { orgId, customer, subId } = await subscribedOrg();
    // Changed: subscription id, customer, created, status trialing.
    const event = subscriptionEvent({ subId, customer, created: T0 + 50, status: "trialing" });
    const now = new Date();
    // A worker claimed it and died: status processing, lease still running for 30 s.
    await db()
      .insert(stripeEvents)
      .values({
        id: event.id,
        type: event.type,
        created: new Date(event.created * 1000),
        status: "processing",
        attempts: 1,
        leaseUntil: new Date(now.getTime() + 30_000),
      });
    expect(await deliver(event, now)).toMatchObject({ received: true, duplicate: true });
    expect(await eventRow(event.id)).toMatchObject({ status: "processing", attempts: 1 });
    expect(await subscriptionRow(subId)).toMatchObject({ status: null });

    const later = new Date(now.getTime() + CLAIM_LEASE_MS);
    expect(await deliver(event, later)).toMatchObject({ received: true, duplicate: false });
    expect(await eventRow(event.id)).toMatchObject({ status: "processed", attempts: 2, leaseUntil: null });
    expect(await subscriptionRow(subId)).toMatchObject({ status: "trialing" });
    expect(await orgPlan(orgId)).toBe("pro");
  });

  it("a failed processing rolls back, keeps last_error and succeeds on redelivery", async () => {
    const { orgId, customer, subId } = await subscribedOrg();
    const real = handlers["customer.subscription.updated"]!;
    vi.spyOn(handlers, "customer.subscription.updated").mockImplementationOnce(async (tx, ev, now) => {
      await real(tx, ev, now); // writes, then fails: the transaction must roll back
      throw new Error("database hiccup");
    });
    // Changed: subscription id, customer, created, status active, price → Starter test price.
    const event = subscriptionEvent({ subId, customer, created: T0 + 60, price: TEST_PRICES.STRIPE_PRICE_STARTER });
    await expect(deliver(event)).rejects.toThrow("database hiccup");
    expect(await eventRow(event.id)).toMatchObject({
      status: "failed",
      attempts: 1,
      lastError: "database hiccup",
      processedAt: null,
    });
    expect(await subscriptionRow(subId)).toMatchObject({ status: null, plan: null });
    expect(await orgPlan(orgId)).toBe("free");

    expect(await deliver(event)).toMatchObject({ received: true, duplicate: false });
    expect(await eventRow(event.id)).toMatchObject({ status: "processed", attempts: 2, lastError: null });
    expect(await subscriptionRow(subId)).toMatchObject({ status: "active", plan: "starter" });
    expect(await orgPlan(orgId)).toBe("starter");
  });

  it("simultaneous deliveries of one event: one stores, claims and applies it, every other answers duplicate", async () => {
    const { orgId, customer, subId } = await subscribedOrg();
    const applied = vi.spyOn(handlers, "customer.subscription.updated");
    // Changed: subscription id, customer, created, status active, price → Pro test price.
    const event = subscriptionEvent({ subId, customer, created: T0 + 70, price: TEST_PRICES.STRIPE_PRICE_PRO });
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => deliver(event)));
    expect(outcomes.filter((o) => !o.duplicate)).toHaveLength(1);
    expect(applied).toHaveBeenCalledTimes(1);
    expect(await eventRow(event.id)).toMatchObject({ status: "processed", attempts: 1, leaseUntil: null });
    expect(await orgPlan(orgId)).toBe("pro");
  });

  it("deliveries arriving together are stored and claimed together, each answered for its own event", async () => {
    const subscribed = await Promise.all(Array.from({ length: 6 }, () => subscribedOrg()));
    // Changed: subscription id, customer, created, status active, price → Pro test price.
    const events = subscribed.map(({ customer, subId }) =>
      subscriptionEvent({ subId, customer, created: T0 + 75, price: TEST_PRICES.STRIPE_PRICE_PRO }),
    );
    // Every event once, and the last one twice more: one statement claims each event once.
    const deliveries = [...events, events[5]!, events[5]!];
    const sent = await messagesDuring(async () => {
      const outcomes = await Promise.all(deliveries.map((event) => deliver(event)));
      expect(outcomes.filter((o) => !o.duplicate)).toHaveLength(6);
    });
    for (const [i, event] of events.entries()) {
      expect(await eventRow(event.id)).toMatchObject({ status: "processed", attempts: 1 });
      expect(await orgPlan(subscribed[i]!.orgId)).toBe("pro");
    }
    // The first delivery goes alone (nothing in flight); the seven arriving meanwhile, together.
    if (driver === "postgres") expect(sent.filter((m) => m.includes("insert into stripe_events"))).toHaveLength(2);
  });

  it("events claimed while a batch is applied are applied together: one transaction and one hand-over for many", async () => {
    const subscribed = await Promise.all(Array.from({ length: 6 }, () => subscribedOrg()));
    // Changed: event id, created, invoice's subscription and customer (stripe-ruby-mock invoice.payment_failed).
    const events = subscribed.map(({ customer, subId }) => {
      const failed = fixture("stripe-ruby-mock__invoice.payment_failed.json");
      Object.assign(failed, { id: uniq("evt"), created: T0 + 90 });
      Object.assign(failed.data.object, { id: uniq("in"), subscription: subId, customer });
      return failed;
    });
    const sent = await messagesDuring(async () => {
      const outcomes = await Promise.all(events.map((event) => deliver(event)));
      // Each delivery answers with its own event's dunning event, whichever batch applied it.
      outcomes.forEach((outcome, i) =>
        expect(outcome.events).toEqual([expect.objectContaining({ id: `stripe-${events[i]!.id}` })]),
      );
    });
    for (const event of events) expect(await eventRow(event.id)).toMatchObject({ status: "processed", attempts: 1 });
    if (driver === "postgres") {
      // One at a time the six would take six transactions, each marking one event processed.
      const batches = sent.filter((m) => m.includes("update stripe_events as e set status = 'processed'"));
      expect(batches.length).toBeLessThanOrEqual(3);
      expect(sent.filter((m) => m.includes('insert into "outbox_events"'))).toHaveLength(batches.length);
    }
  });

  it("a transaction applies at most one event per customer: one customer's events arriving together go one after another, oldest first", async () => {
    const busy = await subscribedOrg();
    const others = await Promise.all(Array.from({ length: 3 }, () => subscribedOrg()));
    // Changed: subscription id, customer, created, status, price → Pro test price.
    const busyEvents = [1, 2, 3, 4].map((k) =>
      subscriptionEvent({
        ...busy,
        created: T0 + 110 + k,
        status: k % 2 ? "past_due" : "active",
        price: TEST_PRICES.STRIPE_PRICE_PRO,
      }),
    );
    const otherEvents = others.map((other) =>
      subscriptionEvent({ ...other, created: T0 + 110, price: TEST_PRICES.STRIPE_PRICE_PRO }),
    );
    const sent = await messagesDuring(async () => {
      const outcomes = await Promise.all([...busyEvents, ...otherEvents].reverse().map((event) => deliver(event)));
      expect(outcomes.every((o) => !o.duplicate)).toBe(true);
    });
    for (const event of [...busyEvents, ...otherEvents])
      expect(await eventRow(event.id)).toMatchObject({ status: "processed", attempts: 1 });
    // The newest of the busy customer's events decides, as in order.
    const row = await subscriptionRow(busy.subId);
    expect(row!.status).toBe("active");
    expect(row!.stripeEventCreated?.getTime()).toBe((T0 + 114) * 1000);
    if (driver === "postgres") {
      // Fewer transactions than events (they were batched), never two of one customer's in one.
      const marks = sent.filter((m) => m.includes("update stripe_events as e set status = 'processed'"));
      expect(marks.length).toBeLessThan(busyEvents.length + otherEvents.length);
      for (const mark of marks)
        expect(busyEvents.filter((event) => mark.includes(sqlTextLiteral(event.id))).length).toBeLessThanOrEqual(1);
    }
  });

  it("a bad event in a batch fails alone: the others are applied, it is marked failed and its delivery answers the error", async () => {
    const subscribed = await Promise.all(Array.from({ length: 5 }, () => subscribedOrg()));
    // Changed: subscription id, customer, created, status active, price → Pro test price.
    const events = subscribed.map(({ customer, subId }) =>
      subscriptionEvent({ subId, customer, created: T0 + 95, price: TEST_PRICES.STRIPE_PRICE_PRO }),
    );
    const bad = events[2]!;
    const real = handlers["customer.subscription.updated"]!;
    vi.spyOn(handlers, "customer.subscription.updated").mockImplementation(async (tx, evs, now) => {
      const results = await real(tx, evs, now);
      if (evs.some((ev) => ev.id === bad.id)) throw new Error("bad event");
      return results;
    });
    const outcomes = await Promise.allSettled(events.map((event) => deliver(event)));
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled", "fulfilled"]);
    for (const [i, event] of events.entries()) {
      if (event === bad) {
        expect(await eventRow(event.id)).toMatchObject({ status: "failed", lastError: "bad event" });
        expect(await orgPlan(subscribed[i]!.orgId)).toBe("free");
      } else {
        expect(await eventRow(event.id)).toMatchObject({ status: "processed", attempts: 1 });
        expect(await orgPlan(subscribed[i]!.orgId)).toBe("pro");
      }
    }
  });

  it("a slow hand-over to Inngest holds up no later batch: the next event is applied and answered meanwhile", async () => {
    const first = await subscribedOrg();
    const second = await subscribedOrg();
    let release = () => {};
    const handOverWaits = new Promise<void>((resolve) => (release = resolve));
    const registered = eventSender();
    registerEventSender(() => handOverWaits);
    try {
      // Changed: event id, created, invoice's subscription and customer (stripe-ruby-mock invoice.payment_failed).
      const failed = fixture("stripe-ruby-mock__invoice.payment_failed.json");
      Object.assign(failed, { id: uniq("evt"), created: T0 + 97 });
      Object.assign(failed.data.object, { id: uniq("in"), subscription: first.subId, customer: first.customer });
      const waiting = deliver(failed);
      await vi.waitFor(async () => expect(await eventRow(failed.id)).toMatchObject({ status: "processed" }));
      // Changed: subscription id, customer, created, status active, price → Pro test price.
      const later = subscriptionEvent({ ...second, created: T0 + 98, price: TEST_PRICES.STRIPE_PRICE_PRO });
      await expect(deliver(later)).resolves.toMatchObject({ duplicate: false });
      expect(await orgPlan(second.orgId)).toBe("pro");
      release();
      expect((await waiting).events).toEqual([expect.objectContaining({ id: `stripe-${failed.id}` })]);
    } finally {
      release();
      registerEventSender(registered);
    }
  });

  it("the hand-over to Inngest runs outside the batch's refusal of Stripe calls: what it starts in this process may call Stripe", async () => {
    const { subId, customer } = await subscribedOrg();
    const refused: unknown[] = [];
    const registered = eventSender();
    // As a background function run in this process (the in-process executor) that asks Stripe.
    registerEventSender(async () => {
      try {
        stripeClient({ ...env(), STRIPE_SECRET_KEY: "sk_test_never_sent" });
      } catch (error) {
        refused.push(error);
      }
    });
    try {
      // Changed: event id, created, invoice's subscription and customer (stripe-ruby-mock invoice.payment_failed).
      const failed = fixture("stripe-ruby-mock__invoice.payment_failed.json");
      Object.assign(failed, { id: uniq("evt"), created: T0 + 99 });
      Object.assign(failed.data.object, { id: uniq("in"), subscription: subId, customer });
      expect((await deliver(failed)).events).toEqual([expect.objectContaining({ id: `stripe-${failed.id}` })]);
      expect(refused).toEqual([]);
    } finally {
      registerEventSender(registered);
    }
  });

  // PGlite has one connection: there every transaction waits for the one open, batch or not.
  if (driver === "postgres")
    it("Stripe is never called inside a batch: an event whose handler needs Stripe is applied again alone, and while it waits on Stripe other events are applied", async () => {
      const waiting = await subscribedOrg();
      const other = await subscribedOrg();
      let release = () => {};
      const stripeAnswers = new Promise<void>((resolve) => (release = resolve));
      const real = handlers["checkout.session.completed"]!;
      const refused: unknown[] = [];
      // As the one-subscription check does when our records show a second live subscription:
      // take the Stripe client, then wait for Stripe's answer (slow here).
      const handler = vi.spyOn(handlers, "checkout.session.completed").mockImplementation(async (tx, ev, now) => {
        const result = await real(tx, ev, now);
        try {
          stripeClient({ ...env(), STRIPE_SECRET_KEY: "sk_test_never_sent" });
        } catch (error) {
          refused.push(error);
          throw error;
        }
        await stripeAnswers;
        return result;
      });
      try {
        const completed = subscriptionCheckout(waiting.orgId, waiting.customer, waiting.subId, T0 + 100);
        const checkout = deliver(completed);
        // Changed: subscription id, customer, created, status active, price → Pro test price.
        const later = subscriptionEvent({ ...other, created: T0 + 101, price: TEST_PRICES.STRIPE_PRICE_PRO });
        await expect(deliver(later)).resolves.toMatchObject({ duplicate: false });
        expect(await orgPlan(other.orgId)).toBe("pro");
        release();
        await expect(checkout).resolves.toMatchObject({ duplicate: false });
        // Once in the batch, where the client refused; then alone, where it was given.
        expect(refused).toEqual([expect.any(StripeCallNotHere)]);
        expect(handler).toHaveBeenCalledTimes(2);
        expect(await eventRow(completed.id)).toMatchObject({ status: "processed", attempts: 1, lastError: null });
      } finally {
        release();
      }
    });

  it("a failed event delivered again twice at once is re-claimed and applied by one of them", async () => {
    const { orgId, customer, subId } = await subscribedOrg();
    const applied = vi.spyOn(handlers, "customer.subscription.updated").mockRejectedValueOnce(new Error("timeout"));
    // Changed: subscription id, customer, created, status active, price → Starter test price.
    const event = subscriptionEvent({ subId, customer, created: T0 + 80, price: TEST_PRICES.STRIPE_PRICE_STARTER });
    await expect(deliver(event)).rejects.toThrow("timeout");
    const outcomes = await Promise.all([deliver(event), deliver(event)]);
    expect(outcomes.map((o) => o.duplicate).sort()).toEqual([false, true]);
    expect(applied).toHaveBeenCalledTimes(2);
    expect(await eventRow(event.id)).toMatchObject({ status: "processed", attempts: 2, lastError: null });
    expect(await orgPlan(orgId)).toBe("starter");
  });

  it("billing rows are tenant-isolated and stripe_events is invisible to tenants", async () => {
    const orgA = await newOrg("Tenant A");
    const orgB = await newOrg("Tenant B");
    const subA = uniq("sub");
    await deliver(subscriptionCheckout(orgA, uniq("cus"), subA));
    await deliver(subscriptionCheckout(orgB, uniq("cus"), uniq("sub")));
    const seen = await withTenant(orgA, async (tx) => ({
      subs: await tx.select({ id: subscriptions.stripeSubscriptionId, orgId: subscriptions.orgId }).from(subscriptions),
      customers: await tx.select({ orgId: billingCustomers.orgId }).from(billingCustomers),
      events: await tx.select({ id: stripeEvents.id }).from(stripeEvents),
    }));
    expect(seen.subs).toEqual([{ id: subA, orgId: orgA }]);
    expect(seen.customers).toEqual([{ orgId: orgA }]);
    expect(seen.events).toEqual([]);
  });

  describe("1,000 deliveries, 20% duplicates, shuffled", () => {
    it("processes every event exactly once and converges to the in-order state", async () => {
      // 800 distinct events derived from the customer.subscription.updated/deleted fixtures: 40 subscriptions
      // (2 per org) × 20 events each. Changed per event: event id, type (created/updated/deleted), created
      // (strictly increasing per subscription), subscription id, customer, status, price, cancel_at_period_end, metadata.org_id.
      const STATUSES = ["trialing", "active", "past_due", "unpaid", "canceled", "paused", "incomplete"];
      const PRICES = [
        TEST_PRICES.STRIPE_PRICE_STARTER,
        TEST_PRICES.STRIPE_PRICE_PRO,
        TEST_PRICES.STRIPE_PRICE_ENTERPRISE,
        "price_unknown",
      ];
      let rnd = 42;
      const random = () => (rnd = (rnd * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
      const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;

      const orgs: string[] = [];
      for (let i = 0; i < 20; i++) orgs.push(await newOrg(`Bulk ${i}`));
      const events: Json[] = [];
      const last = new Map<string, Json>();
      for (let s = 0; s < 40; s++) {
        const orgId = orgs[s % 20]!;
        const subId = uniq(`sub_bulk${s}`);
        const customer = uniq(`cus_bulk${s}`);
        for (let k = 0; k < 20; k++) {
          const type =
            k === 0
              ? "customer.subscription.created"
              : k === 19 && random() < 0.3
                ? "customer.subscription.deleted"
                : "customer.subscription.updated";
          const status = type === "customer.subscription.deleted" ? "canceled" : pick(STATUSES);
          const event = subscriptionEvent({
            type,
            subId,
            customer,
            orgId,
            created: T0 + s * 1000 + k,
            status,
            price: pick(PRICES),
            cancelAtPeriodEnd: random() < 0.25,
          });
          events.push(event);
          last.set(subId, event);
        }
      }
      const deliveries = [...events, ...Array.from({ length: 200 }, () => pick(events))];
      for (let i = deliveries.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
      }
      expect(deliveries).toHaveLength(1_000);

      const outcomes: boolean[] = [];
      const queue = [...deliveries];
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          for (let next = queue.shift(); next; next = queue.shift()) outcomes.push((await deliver(next)).duplicate);
        }),
      );
      expect(outcomes.filter((d) => d)).toHaveLength(200);

      const ids = events.map((e) => e.id as string);
      const stored = await db().execute<{ n: number; once: number }>(
        sql`select count(*)::int as n, count(*) filter (where status = 'processed' and attempts = 1)::int as once from stripe_events where id in ${sql.raw(`(${ids.map((id) => `'${id}'`).join(",")})`)}`,
      );
      expect(stored.rows[0]).toEqual({ n: 800, once: 800 });

      const expectedPlans = new Map<string, string>();
      for (const [subId, event] of last) {
        const sub = event.data.object;
        const row = await subscriptionRow(subId);
        const plan =
          (
            {
              [TEST_PRICES.STRIPE_PRICE_STARTER]: "starter",
              [TEST_PRICES.STRIPE_PRICE_PRO]: "pro",
              [TEST_PRICES.STRIPE_PRICE_ENTERPRISE]: "enterprise",
            } as Record<string, "starter" | "pro" | "enterprise">
          )[sub.items.data[0].price.id] ?? null;
        expect(row).toMatchObject({
          status: sub.status,
          priceId: sub.items.data[0].price.id,
          plan,
          cancelAtPeriodEnd: sub.cancel_at_period_end,
          orgId: sub.metadata.org_id,
        });
        expect(row!.stripeEventCreated?.getTime()).toBe(event.created * 1000);
        const orgId = sub.metadata.org_id as string;
        const entitled = entitledPlan(plan, sub.status);
        const rank = ["free", "starter", "pro", "enterprise"];
        if (rank.indexOf(entitled) > rank.indexOf(expectedPlans.get(orgId) ?? "free"))
          expectedPlans.set(orgId, entitled);
      }
      for (const orgId of orgs) expect(await orgPlan(orgId)).toBe(expectedPlans.get(orgId) ?? "free");
    }, 120_000);
  });
});

/** Storing, claiming and marking Stripe events as the app's own role: stripe_events shows rows only to the system role. */
describeEachDatabaseAsApp("Stripe webhook under row-level security", () => {
  const asBilling = <T>(fn: (tx: Tx) => Promise<T>) => withSystem("billing", fn);
  const storedEvent = async (id: string) =>
    (await asBilling((tx) => tx.select().from(stripeEvents).where(eq(stripeEvents.id, id))))[0];

  it("stores and claims an event once, marks a failed one and re-claims it on redelivery", async () => {
    const [org] = await asBilling((tx) =>
      tx.insert(organizations).values({ name: "Billing Co" }).returning({ id: organizations.id }),
    );
    const customer = uniq("cus");
    const subId = uniq("sub");
    const checkout = subscriptionCheckout(org!.id, customer, subId);
    expect(await deliver(checkout)).toMatchObject({ duplicate: false });
    expect(await deliver(checkout)).toMatchObject({ duplicate: true });
    expect(await storedEvent(checkout.id)).toMatchObject({ status: "processed", attempts: 1, orgId: org!.id });
    expect(await db().select().from(stripeEvents)).toEqual([]);

    vi.spyOn(handlers, "customer.subscription.updated").mockRejectedValueOnce(new Error("database hiccup"));
    const event = subscriptionEvent({ subId, customer, created: T0 + 60, price: TEST_PRICES.STRIPE_PRICE_STARTER });
    await expect(deliver(event)).rejects.toThrow("database hiccup");
    expect(await storedEvent(event.id)).toMatchObject({ status: "failed", attempts: 1, lastError: "database hiccup" });
    expect(await deliver(event)).toMatchObject({ duplicate: false });
    expect(await storedEvent(event.id)).toMatchObject({ status: "processed", attempts: 2, lastError: null });
    expect(await withTenant(org!.id, (tx) => tx.select({ plan: organizations.plan }).from(organizations))).toEqual([
      { plan: "starter" },
    ]);
  });
});
