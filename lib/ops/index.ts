export { platformCounts, type PlatformCounts } from "./platform-counts";
export { maskEmail } from "./mask";
export { listStripeEvents, stripeEventCounts, stripeEventTypes, STRIPE_EVENT_STATUSES, type StripeEventStatus, type StripeEventQuery } from "./stripe-events";
export { assertAdminWritable, adminReadOnly } from "./admin-writes";
export { runOpsAlertDetector, detectOpsConditions, listOpsAlerts, OPS_ALERT_KINDS, OPS_ALERT_SEVERITY, OPS_THRESHOLDS, OPS_ALERTS_FUNCTION_ID, type OpsAlertKind, type OpsFinding } from "./alerts";
export { healthSummary } from "./health-summary";
export { businessMetrics, CHURN_WINDOW_DAYS, FUNNEL_WINDOW_DAYS, type BusinessMetrics } from "./business-metrics";
export { opsOverview, type OpsOverview } from "./overview";
