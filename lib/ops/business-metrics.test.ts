import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { db } from "@/db/client";
import { onboardingProgress, organizations, stripeEvents, subscriptions } from "@/db/schema";
import { describeEachDatabase } from "@/tests/db";
import { operatorContextOf } from "@/tests/support/factories";
import { businessMetrics } from "./business-metrics";

const NOW = new Date("2026-05-01T12:00:00Z");
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);

async function sub(id: string, values: Partial<typeof subscriptions.$inferInsert>) {
  await db()
    .insert(subscriptions)
    .values({ stripeSubscriptionId: id, ...values });
}
async function stripeEvent(type: string, objectId: string, created: Date) {
  await db()
    .insert(stripeEvents)
    .values({ id: `evt_${randomUUID().replaceAll("-", "")}`, type, created, status: "processed", objectId });
}
async function org(createdAt: Date, progress?: Partial<typeof onboardingProgress.$inferInsert>) {
  const [row] = await db()
    .insert(organizations)
    .values({ name: `Org ${randomUUID().slice(0, 6)}`, createdAt })
    .returning({ id: organizations.id });
  if (progress)
    await db()
      .insert(onboardingProgress)
      .values({ orgId: row!.id, ...progress });
  return row!.id;
}

describeEachDatabase("business metrics", () => {
  it("MRR, subscription counts, 30-day churn and the onboarding funnel on constructed data", async () => {
    const paidOrg = await org(daysAgo(10), { profileCompletedAt: daysAgo(9), alertCompletedAt: daysAgo(9) });
    await org(daysAgo(5), { profileCompletedAt: daysAgo(5) });
    await org(daysAgo(1));
    await org(daysAgo(40), { profileCompletedAt: daysAgo(39), alertCompletedAt: daysAgo(39) }); // before the funnel window

    await sub("sub_a", { orgId: paidOrg, status: "active", plan: "pro" }); // 99.00
    await sub("sub_b", { status: "active", plan: "starter" }); // 29.00
    await sub("sub_c", { status: "past_due", plan: "enterprise" }); // 499.00, still MRR
    await sub("sub_d", { status: "active", plan: "starter", pauseCollection: "void" }); // active, collection paused: no MRR
    await sub("sub_e", { status: "trialing", plan: "pro" }); // trial: shown apart
    await sub("sub_f", { status: "active", priceId: "price_unknown" }); // unpriced
    await sub("sub_j", { status: "active", plan: "starter" }); // 29.00, started in the window
    await stripeEvent("customer.subscription.created", "sub_j", daysAgo(10));
    await sub("sub_g", { status: "canceled", plan: "pro" });
    await stripeEvent("customer.subscription.deleted", "sub_g", daysAgo(5)); // churned
    await sub("sub_h", { status: "canceled", plan: "pro", trialEnd: daysAgo(1) });
    await stripeEvent("customer.subscription.deleted", "sub_h", daysAgo(3)); // canceled in trial: not churn
    await sub("sub_i", { status: "canceled", plan: "pro" });
    await stripeEvent("customer.subscription.deleted", "sub_i", daysAgo(40)); // before the window
    await sub("sub_k", { status: "canceled", plan: "starter" });
    await stripeEvent("customer.subscription.created", "sub_k", daysAgo(20));
    await stripeEvent("customer.subscription.deleted", "sub_k", daysAgo(3)); // started and ended in the window
    await sub("sub_x", { status: "canceled", plan: "pro" });
    await db()
      .insert(stripeEvents)
      .values({
        id: "evt_failed_delete",
        type: "customer.subscription.deleted",
        created: daysAgo(2),
        status: "failed",
        objectId: "sub_x",
      }); // not processed

    const m = await businessMetrics(operatorContextOf({}, { now: NOW }));
    expect(m.mrrCents).toBe(9900 + 2900 + 49900 + 2900);
    expect(m.trialingMrrCents).toBe(9900);
    expect(m.unpricedSubscriptions).toBe(1);
    expect(m.subscriptions).toEqual({ active: 5, trialing: 1, pastDue: 1 });
    // Paying at the start: a, b, c, d, f (paying now, not new) + g (churned) = 6; churned: g.
    expect(m.churn).toEqual({ windowDays: 30, canceled: 1, payingAtStart: 6, rate: 1 / 6 });
    expect(m.funnel).toEqual({ windowDays: 30, signedUp: 3, profile: 2, firstAlert: 1, paid: 1 });
  });
});
