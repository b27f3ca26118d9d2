export { PLANS, PLAN_IDS, planById, formatMonthlyPrice, type Plan, type PlanId, type RateLimitTier } from "./plans";
export { entitlementsFor, type Entitlements, type EntitlementInput, type SubscriptionStatus } from "./entitlements";
