// Browser- and cycle-safe: plans and entitlements only. Stripe and database operations are imported from
// their own modules (checkout, sync, pause, reconcile, overview, webhook), which depend on lib/metering.
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
  SUBSCRIPTION_STATUSES,
  type Entitlements,
  type EntitlementInput,
  type SubscriptionStatus,
} from "./entitlements";
export { billingContacts } from "./contacts";
