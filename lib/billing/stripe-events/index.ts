import { chargeRefunded } from "./charge-refunded";
import { checkoutSessionCompleted } from "./checkout-session-completed";
import { customerUpdated } from "./customer-updated";
import { invoiceClosed } from "./invoice-closed";
import { invoicePayment } from "./invoice-payment";
import { subscriptionChanged } from "./subscription-changed";
import { subscriptionCreated } from "./subscription-created";
import type { StripeEventHandler } from "./types";

/** One handler per event type; anything else is stored and acknowledged. */
export const STRIPE_EVENT_HANDLERS: Readonly<Record<string, StripeEventHandler>> = {
  "checkout.session.completed": checkoutSessionCompleted,
  "customer.subscription.created": subscriptionCreated,
  "customer.subscription.updated": subscriptionChanged,
  "customer.subscription.deleted": subscriptionChanged,
  "invoice.paid": invoicePayment,
  "invoice.payment_failed": invoicePayment,
  "invoice.voided": invoiceClosed,
  "invoice.marked_uncollectible": invoiceClosed,
  "customer.updated": customerUpdated,
  "charge.refunded": chargeRefunded,
};

export type { StripeEventHandler, StripeEventInput, HandlerResult } from "./types";
