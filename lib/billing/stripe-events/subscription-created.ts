import { keepOneSubscription } from "./one-subscription";
import { subscriptionChanged } from "./subscription-changed";
import type { StripeEventHandler } from "./types";

/** customer.subscription.created: stored like any change, then checked against the org's other live subscriptions. */
export const subscriptionCreated: StripeEventHandler = async (tx, event, now) => {
  const result = await subscriptionChanged(tx, event, now);
  if (!result.orgId) return result;
  return { ...result, log: `${result.log}${await keepOneSubscription(tx, result.orgId, event, now)}` };
};
