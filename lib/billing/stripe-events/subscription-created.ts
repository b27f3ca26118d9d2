import { keepOneSubscription } from "./one-subscription";
import { subscriptionChanged } from "./subscription-changed";
import type { StripeEventHandler } from "./types";

/** customer.subscription.created: stored like any change, then checked against the org's other live subscriptions. */
export const subscriptionCreated: StripeEventHandler = async (tx, events, now) => {
  const results = await subscriptionChanged(tx, events, now);
  const linked = events.flatMap((event, i) => (results[i]!.orgId ? [{ orgId: results[i]!.orgId!, event, at: i }] : []));
  const suffixes = await keepOneSubscription(tx, linked, now);
  for (const [k, { at }] of linked.entries())
    results[at] = { ...results[at]!, log: `${results[at]!.log}${suffixes[k]}` };
  return results;
};
