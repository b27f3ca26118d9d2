// The stuck-customer detector and the customers list's "stuck" tab, on customers made through the
// real flows: sign-up (lib/auth), the onboarding wizard (lib/onboarding), Stripe webhooks (lib/billing).
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { db } from "@/db/client";
import { opsAlerts } from "@/db/schema";
import { signUp } from "@/lib/auth";
import { receiveStripeWebhook } from "@/lib/billing";
import { env } from "@/lib/env";
import { choosePlan, createFirstAlert, saveBusinessProfile } from "@/lib/onboarding";
import { describeEachDatabase } from "@/tests/db";
import { withTestEnv } from "@/tests/env";
import { fixture, signed, TEST_PRICES, TEST_WEBHOOK_SECRET } from "@/tests/fixtures/stripe/events";
import { contextOf, operatorContextOf, systemContextOf } from "@/tests/support/factories";
import { runOpsAlertDetector } from "./alerts";
import { customerSegmentCounts, searchCustomers } from "./customer-search";
import { healthSummary } from "./health-summary";

withTestEnv({ STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, ...TEST_PRICES });

const HOUR = 3_600_000;
const profile = {
  companyName: "Acme Cyber LLC",
  naicsCodes: ["5415"],
  keywords: ["cybersecurity"],
  setAsides: [] as string[],
  states: [] as string[],
};

async function signedUp(label: string) {
  const user = await signUp({
    name: label,
    email: `${label.toLowerCase()}-${randomUUID().slice(0, 8)}@stuck.test`,
    password: "correct horse battery",
    organizationName: `${label} Co`,
  });
  return { orgId: user.orgId, actor: { userId: user.userId, role: "owner" as const } };
}

async function withProfileAndAlert(label: string) {
  const customer = await signedUp(label);
  await saveBusinessProfile(contextOf(customer.orgId, customer.actor), profile);
  await createFirstAlert(contextOf(customer.orgId, customer.actor), {
    name: `${label} opportunities`,
    frequency: "daily",
    deliveryEmail: `${label.toLowerCase()}@stuck.test`,
  });
  return customer;
}

/** Stripe Checkout completing for the org, then the subscription's own event (fixture price = Pro unless `price`). */
async function paysThroughCheckout(orgId: string, price?: string) {
  const customer = `cus_${randomUUID().slice(0, 12)}`;
  const subId = `sub_${randomUUID().slice(0, 12)}`;
  const now = Math.floor(Date.now() / 1000);
  const checkout = fixture("stripe-ruby-mock__checkout.session.completed.json");
  checkout.id = `evt_${randomUUID().slice(0, 12)}`;
  checkout.created = now;
  checkout.data.object = fixture("pay__checkout.session.completed.json").object;
  Object.assign(checkout.data.object, {
    id: `cs_${randomUUID().slice(0, 12)}`,
    client_reference_id: orgId,
    customer,
    subscription: subId,
  });
  const created = fixture("stripe-ruby-mock__customer.subscription.created.json");
  created.id = `evt_${randomUUID().slice(0, 12)}`;
  created.created = now + 1;
  Object.assign(created.data.object, { id: subId, customer });
  if (price) created.data.object.items.data[0].price.id = price;
  for (const event of [checkout, created]) {
    const { payload, header } = signed(event);
    await receiveStripeWebhook(systemContextOf("billing"), { rawBody: payload, signature: header });
  }
}

async function openStuckKinds(orgId: string) {
  const rows = await db()
    .select({ kind: opsAlerts.kind, status: opsAlerts.status })
    .from(opsAlerts)
    .where(eq(opsAlerts.orgId, orgId));
  return rows
    .filter((r) => r.status === "open")
    .map((r) => r.kind)
    .sort();
}

describeEachDatabase("stuck customers", () => {
  it("flags by what the customer has done: no profile a day after sign-up; paid but not on the plan after 10 minutes; paying customers count as activated", async () => {
    const noProfile = await signedUp("NoProfile");
    const profiled = await withProfileAndAlert("Profiled");
    const paidNoFinish = await withProfileAndAlert("PaidNoFinish");
    await choosePlan(contextOf(paidNoFinish.orgId, paidNoFinish.actor), "pro");
    await paysThroughCheckout(paidNoFinish.orgId);
    const paidUnknownPrice = await withProfileAndAlert("PaidUnknownPrice");
    await paysThroughCheckout(paidUnknownPrice.orgId, "price_not_in_beacon");

    // Ten minutes after paying: only the customer Stripe bills but Beacon left on Free.
    const config = { ...env(), OPS_ALERT_WEBHOOK_URL: "", OPS_ALERT_EMAIL: "" };
    await runOpsAlertDetector(systemContextOf("ops-cockpit", new Date(Date.now() + 11 * 60_000)), config);
    expect(await openStuckKinds(paidUnknownPrice.orgId)).toEqual(["paid_not_activated"]);
    expect(await openStuckKinds(noProfile.orgId)).toEqual([]);

    // A day after sign-up: the one who never saved a profile is stuck; the others are not.
    const dayLater = new Date(Date.now() + 25 * HOUR);
    await runOpsAlertDetector(systemContextOf("ops-cockpit", dayLater), config);
    expect(await openStuckKinds(noProfile.orgId)).toEqual(["onboarding_idle"]);
    expect(await openStuckKinds(profiled.orgId)).toEqual([]);
    expect(await openStuckKinds(paidNoFinish.orgId)).toEqual([]);
    expect(await openStuckKinds(paidUnknownPrice.orgId)).toEqual(["paid_not_activated"]);

    // The customers list's "stuck" tab holds exactly the customers the detector flags.
    const cockpitThen = operatorContextOf({}, { now: dayLater });
    const stuck = await searchCustomers(cockpitThen, { segment: "stuck", limit: 200 });
    const mine = [noProfile, profiled, paidNoFinish, paidUnknownPrice].map((c) => c.orgId);
    expect(
      stuck.items
        .map((c) => c.id)
        .filter((id) => mine.includes(id))
        .sort(),
    ).toEqual([noProfile.orgId, paidUnknownPrice.orgId].sort());
    expect((await customerSegmentCounts(cockpitThen)).stuck).toBe(stuck.items.length);
    expect((await healthSummary(cockpitThen)).stuckCustomers).toBe(stuck.items.length);

    // A week without a profile is an abandoned sign-up, not a stuck one.
    await runOpsAlertDetector(systemContextOf("ops-cockpit", new Date(Date.now() + 8 * 24 * HOUR)), config);
    expect(await openStuckKinds(noProfile.orgId)).toEqual([]);
  });
});
