import { planById, type Plan, type PlanId } from "./plans";

/** Stripe subscription statuses (plus `none`: never subscribed, i.e. the plan applies as it is). */
export type SubscriptionStatus =
  "none" | "trialing" | "active" | "past_due" | "unpaid" | "canceled" | "paused" | "incomplete" | "incomplete_expired";

export const SUBSCRIPTION_STATUSES: readonly SubscriptionStatus[] = [
  "none",
  "trialing",
  "active",
  "past_due",
  "unpaid",
  "canceled",
  "paused",
  "incomplete",
  "incomplete_expired",
];

export interface EntitlementInput {
  plan: PlanId;
  /** Absent for `organizations.plan`, which billing already set from the subscription: the plan applies as is. */
  subscriptionStatus?: SubscriptionStatus | null;
  /** Stripe's `pause_collection.behavior`: while set, an otherwise live subscription counts as paused. */
  pauseCollection?: string | null;
  /** When an invoice of the subscription failed (dunning): the plan holds for the grace period only. */
  paymentFailedAt?: Date | null;
  /** The clock the grace period is measured against (required with `paymentFailedAt`). */
  now?: Date;
}

/** The limits and features of the plan that applies (see `Plan` for each), and whether it is paid for. */
export type Entitlements = Pick<
  Plan,
  | "monthlyApiQuota"
  | "maxAlerts"
  | "instantAlerts"
  | "pipeline"
  | "changeTracking"
  | "channels"
  | "maxSeats"
  | "rateLimitTier"
  | "requestsPerMinute"
> & {
  /** The plan whose limits apply (free when the subscription no longer pays for `plan`). */
  effectivePlan: PlanId;
  /** False when a paid plan is suspended (unpaid, canceled, paused, payment not completed): free limits. */
  paidFeatures: boolean;
};

/** Days after a failed payment during which the org keeps its plan (dunning e-mails on day 0, 3 and 7). */
export const DUNNING_GRACE_DAYS = 14;
const DAY_MS = 86_400_000;

export function graceEndsAt(paymentFailedAt: Date) {
  return new Date(paymentFailedAt.getTime() + DUNNING_GRACE_DAYS * DAY_MS);
}

// past_due keeps the plan during dunning's grace period only (paymentFailedAt + now decide it).
const PAYING: ReadonlySet<SubscriptionStatus> = new Set(["none", "trialing", "active", "past_due"]);

/** Stripe keeps `status: active` while collection is paused; Beacon treats that as paused. */
export function effectiveStatus(status: string | null, pauseCollection: string | null): string | null {
  return pauseCollection && status && status !== "canceled" ? "paused" : status;
}

/**
 * THE one place that turns plan + subscription state into what an org may use. Billing stores
 * its `effectivePlan` as `organizations.plan` (syncOrgPlan), and every paid path — alerts, instant
 * alerts, the pipeline, change tracking, channels, seats, API quota, rate tier — reads its limits from here
 * for that plan.
 */
export function entitlementsFor(org: EntitlementInput): Entitlements {
  const status = (effectiveStatus(org.subscriptionStatus ?? "none", org.pauseCollection ?? null) ??
    "none") as SubscriptionStatus;
  const graceOver = org.paymentFailedAt != null && org.now != null && graceEndsAt(org.paymentFailedAt) <= org.now;
  const effective = PAYING.has(status) && !graceOver ? planById(org.plan) : planById("free");
  return {
    effectivePlan: effective.id,
    monthlyApiQuota: effective.monthlyApiQuota,
    maxAlerts: effective.maxAlerts,
    instantAlerts: effective.instantAlerts,
    pipeline: effective.pipeline,
    changeTracking: effective.changeTracking,
    channels: effective.channels,
    maxSeats: effective.maxSeats,
    rateLimitTier: effective.rateLimitTier,
    requestsPerMinute: effective.requestsPerMinute,
    paidFeatures: effective.id !== "free",
  };
}
