// Billing: Stripe checkout, the subscription's state and the org plan it sets. It sits above the
// capabilities a plan change touches (alerts, metering); what a plan allows is lib/plans.
export {
  trialAvailable,
  startSubscriptionCheckout,
  startCreditPackCheckout,
  finishCheckout,
  openCustomerPortal,
  type BillingActor,
  type BillingContext,
} from "./checkout";
export { pauseSubscription, resumeSubscription } from "./pause";
export { billingOverview, type BillingOverview } from "./overview";
export { planForPrice, planPurchaseBlocker } from "./prices";
export { stripeClient, stripeConfigured } from "./stripe-client";
export { syncStripeCustomer, type SyncResult } from "./sync";
export { extendTrial, MAX_TRIAL_EXTENSION_DAYS } from "./trial";
export { entitledPlan, syncOrgPlan, addCredits, revokeCredits } from "./org-plan";
export { receiveStripeWebhook, ingestStripeEvent, type WebhookOutcome } from "./webhook";
export { stripeWebhookRoute } from "./webhook-route";
export { reconcileStripeEvents, syncPayingCustomers, reprocessStripeEvent, type ReconcileResult } from "./reconcile";
export {
  runDunningSweep,
  sendDunningNotice,
  endDunningGrace,
  dunningSchedule,
  DUNNING_NOTICE_DAYS,
  ENDED_SUBSCRIPTION_STATUSES,
  type DunningDay,
  type DunningContext,
  type DunningOutcome,
} from "./dunning";
