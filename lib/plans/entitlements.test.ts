import { describe, expect, it } from "vitest";
import {
  DUNNING_GRACE_DAYS,
  entitlementsFor,
  SUBSCRIPTION_STATUSES,
  type EntitlementInput,
  type SubscriptionStatus,
} from "./entitlements";
import { PLANS, planById, type PlanId } from "./plans";

const NOW = new Date("2035-06-15T12:00:00Z");
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

/** What the plan table says a plan `id` gives when it is paid for (free is never "paid"). */
const expectedFor = (id: PlanId) => {
  const plan = planById(id);
  return {
    effectivePlan: id,
    monthlyApiQuota: plan.monthlyApiQuota,
    maxAlerts: plan.maxAlerts,
    instantAlerts: plan.instantAlerts,
    pipeline: plan.pipeline,
    changeTracking: plan.changeTracking,
    channels: plan.channels,
    maxSeats: plan.maxSeats,
    rateLimitTier: plan.rateLimitTier,
    requestsPerMinute: plan.requestsPerMinute,
    paidFeatures: id !== "free",
  };
};

describe("entitlementsFor", () => {
  it("gives each plan its limits from the plan table", () => {
    for (const plan of PLANS) {
      expect(entitlementsFor({ plan: plan.id })).toEqual(expectedFor(plan.id));
    }
  });

  it("names change tracking in the pricing copy exactly on the plans that include it", () => {
    for (const plan of PLANS)
      expect([plan.id, plan.features.some((line) => line.includes("What changed"))]).toEqual([
        plan.id,
        plan.changeTracking,
      ]);
  });

  // Every paid feature × every subscription status (and the grace period and a paused collection).
  const PAYING_STATES: [string, Omit<EntitlementInput, "plan">][] = [
    ["no subscription", { subscriptionStatus: "none" }],
    ["trialing", { subscriptionStatus: "trialing" }],
    ["active", { subscriptionStatus: "active" }],
    [
      "past_due inside the grace period",
      { subscriptionStatus: "past_due", paymentFailedAt: daysAgo(DUNNING_GRACE_DAYS - 1), now: NOW },
    ],
  ];
  const SUSPENDED_STATES: [string, Omit<EntitlementInput, "plan">][] = [
    [
      "past_due after the grace period",
      { subscriptionStatus: "past_due", paymentFailedAt: daysAgo(DUNNING_GRACE_DAYS), now: NOW },
    ],
    [
      "active with a failed payment past the grace period",
      { subscriptionStatus: "active", paymentFailedAt: daysAgo(DUNNING_GRACE_DAYS + 3), now: NOW },
    ],
    ["active with collection paused", { subscriptionStatus: "active", pauseCollection: "void" }],
    ["trialing with collection paused", { subscriptionStatus: "trialing", pauseCollection: "keep_as_draft" }],
    ...(["unpaid", "canceled", "paused", "incomplete", "incomplete_expired"] as const).map(
      (s): [string, Omit<EntitlementInput, "plan">] => [s, { subscriptionStatus: s }],
    ),
  ];

  it("covers every status Stripe has", () => {
    const covered = new Set([...PAYING_STATES, ...SUSPENDED_STATES].map(([, input]) => input.subscriptionStatus));
    expect([...SUBSCRIPTION_STATUSES].filter((s: SubscriptionStatus) => !covered.has(s))).toEqual([]);
  });

  const FEATURES = [
    "effectivePlan",
    "monthlyApiQuota",
    "maxAlerts",
    "instantAlerts",
    "pipeline",
    "changeTracking",
    "channels",
    "maxSeats",
    "rateLimitTier",
    "requestsPerMinute",
    "paidFeatures",
  ] as const;
  const paid = PLANS.filter((p) => p.id !== "free").map((p) => p.id);

  for (const feature of FEATURES) {
    describe(feature, () => {
      it.each(PAYING_STATES)("%s keeps the plan's", (_label, state) => {
        for (const plan of paid)
          expect(entitlementsFor({ plan, ...state })[feature]).toEqual(expectedFor(plan)[feature]);
      });
      it.each(SUSPENDED_STATES)("%s falls back to free's", (_label, state) => {
        for (const plan of paid)
          expect(entitlementsFor({ plan, ...state })[feature]).toEqual(expectedFor("free")[feature]);
      });
    });
  }
});
