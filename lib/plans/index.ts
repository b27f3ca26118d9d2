// What each plan allows, and what an org may use given its plan and subscription state. Pure and
// browser-safe; it sits under every capability that reads a limit (alerts, channels, metering,
// orgs, pipeline), so billing, which sets an org's plan, can act on them without a cycle.
export {
  PLANS,
  PLAN_IDS,
  TRIAL_DAYS,
  planById,
  formatMonthlyPrice,
  type Plan,
  type PlanId,
  type RateLimitTier,
} from "./plans";
export {
  entitlementsFor,
  effectiveStatus,
  graceEndsAt,
  DUNNING_GRACE_DAYS,
  SUBSCRIPTION_STATUSES,
  type Entitlements,
  type EntitlementInput,
  type SubscriptionStatus,
} from "./entitlements";
