import { planById, type PlanId, type RateLimitTier } from "./plans";

/** Stripe subscription statuses (plus `none`: never subscribed, i.e. the free plan). */
export type SubscriptionStatus = "none" | "trialing" | "active" | "past_due" | "unpaid" | "canceled" | "paused" | "incomplete" | "incomplete_expired";

export interface EntitlementInput {
  plan: PlanId;
  /** Absent until billing records subscriptions: the org's plan then applies as is. */
  subscriptionStatus?: SubscriptionStatus | null;
}

export interface Entitlements {
  /** The plan whose limits apply (free when the subscription no longer pays for `plan`). */
  effectivePlan: PlanId;
  monthlyApiQuota: number;
  maxAlerts: number;
  maxSeats: number;
  rateLimitTier: RateLimitTier;
  requestsPerMinute: number;
  /** False when a paid plan is suspended (unpaid, canceled, paused): read access only. */
  paidFeatures: boolean;
}

// past_due keeps the plan during dunning's grace period; dunning downgrades the org when it ends.
const PAYING: ReadonlySet<SubscriptionStatus> = new Set(["none", "trialing", "active", "past_due"]);

/** The one place that turns plan + subscription status into limits. */
export function entitlementsFor(org: EntitlementInput): Entitlements {
  const status = org.subscriptionStatus ?? "none";
  const effective = PAYING.has(status) ? planById(org.plan) : planById("free");
  return {
    effectivePlan: effective.id,
    monthlyApiQuota: effective.monthlyApiQuota,
    maxAlerts: effective.maxAlerts,
    maxSeats: effective.maxSeats,
    rateLimitTier: effective.rateLimitTier,
    requestsPerMinute: effective.requestsPerMinute,
    paidFeatures: effective.id !== "free",
  };
}
