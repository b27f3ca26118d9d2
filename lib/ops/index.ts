export { platformCounts, type PlatformCounts } from "./platform-counts";
export { maskEmail } from "./mask";
export { listStripeEvents, stripeEventCounts, stripeEventTypes, STRIPE_EVENT_STATUSES, type StripeEventStatus, type StripeEventQuery } from "./stripe-events";
export { assertAdminWritable, adminReadOnly } from "./admin-writes";
