import { describe, expect, it } from "vitest";
import { entitlementsFor } from "./entitlements";
import { PLANS } from "./plans";

describe("entitlementsFor", () => {
  it("gives each plan its limits from the plan table", () => {
    for (const plan of PLANS) {
      expect(entitlementsFor({ plan: plan.id })).toMatchObject({
        effectivePlan: plan.id,
        monthlyApiQuota: plan.monthlyApiQuota,
        maxAlerts: plan.maxAlerts,
        maxSeats: plan.maxSeats,
        rateLimitTier: plan.rateLimitTier,
        requestsPerMinute: plan.requestsPerMinute,
      });
    }
    expect(entitlementsFor({ plan: "free" })).toMatchObject({ monthlyApiQuota: 100, paidFeatures: false });
  });

  it("trialing, active and past_due (grace period) keep the plan", () => {
    for (const status of ["trialing", "active", "past_due"] as const) {
      expect(entitlementsFor({ plan: "pro", subscriptionStatus: status })).toMatchObject({ effectivePlan: "pro", monthlyApiQuota: 50_000, paidFeatures: true });
    }
  });

  it("unpaid, canceled, paused and incomplete subscriptions fall back to free features", () => {
    for (const status of ["unpaid", "canceled", "paused", "incomplete", "incomplete_expired"] as const) {
      expect(entitlementsFor({ plan: "enterprise", subscriptionStatus: status })).toMatchObject({ effectivePlan: "free", monthlyApiQuota: 100, maxAlerts: 1, requestsPerMinute: 10, paidFeatures: false });
    }
  });
});
