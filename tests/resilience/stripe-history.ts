import { randomBytes } from "node:crypto";
import { fixture, TEST_PRICES, type Json } from "@/tests/fixtures/stripe/events";

const T0 = 1_700_000_000; // Stripe `created` base for the derived events
const uniq = (prefix: string) => `${prefix}_res${randomBytes(6).toString("hex")}`;

/**
 * One org's billing history as Stripe would send it, from the stored real-shaped events in
 * tests/fixtures/stripe (changed per event: ids, created, customer, subscription, status, price,
 * cancel_at_period_end, client_reference_id). Odd orgs end canceled.
 *   checkout (subscription) → subscription.created (Pro) → credit-pack checkout → updated
 *   past_due + cancel_at_period_end → updated active on Starter [→ deleted]
 */
export function billingHistory(orgId: string, index: number): Json[] {
  const customer = uniq("cus");
  const subId = uniq("sub");
  const events: Json[] = [];

  const checkout = fixture("stripe-ruby-mock__checkout.session.completed.json");
  checkout.data.object = fixture("pay__checkout.session.completed.json").object;
  Object.assign(checkout, { id: uniq("evt"), created: T0 });
  Object.assign(checkout.data.object, { id: uniq("cs"), client_reference_id: orgId, customer, subscription: subId });
  events.push(checkout);

  const created = fixture("stripe-ruby-mock__customer.subscription.created.json");
  Object.assign(created, { id: uniq("evt"), created: T0 + 10 });
  Object.assign(created.data.object, { id: subId, customer });
  events.push(created);

  // mode=payment, paid: a credit pack (+1,000 API calls, granted once per session).
  const pack = fixture("stripe-ruby-mock__checkout.session.completed.json");
  Object.assign(pack, { id: uniq("evt"), created: T0 + 15 });
  Object.assign(pack.data.object, { id: uniq("cs"), client_reference_id: orgId, customer, payment_intent: uniq("pi") });
  events.push(pack);

  const update = (
    created: number,
    change: { status?: string; price?: string; cancelAtPeriodEnd?: boolean },
    type = "customer.subscription.updated",
  ) => {
    const file =
      type === "customer.subscription.deleted"
        ? "stripe-ruby-mock__customer.subscription.deleted.json"
        : "stripe-ruby-mock__customer.subscription.updated.json";
    const event = fixture(file);
    Object.assign(event, { id: uniq("evt"), type, created });
    const sub = event.data.object;
    Object.assign(sub, { id: subId, customer });
    if (change.status) sub.status = change.status;
    if (change.price) sub.items.data[0].price.id = change.price;
    if (change.cancelAtPeriodEnd !== undefined) sub.cancel_at_period_end = change.cancelAtPeriodEnd;
    return event;
  };
  events.push(update(T0 + 20, { status: "past_due", cancelAtPeriodEnd: true }));
  events.push(update(T0 + 30, { status: "active", price: TEST_PRICES.STRIPE_PRICE_STARTER, cancelAtPeriodEnd: false }));
  if (index % 2 === 1) events.push(update(T0 + 40, {}, "customer.subscription.deleted"));
  return events;
}

/** The billing state a history leaves, per org: what "processed exactly once, in order" must equal. */
export const BILLING_STATE_SQL = `
  select o.id, o.plan,
    (select stripe_customer_id from billing_customers b where b.org_id = o.id) as customer,
    (select quota_remaining from usage_quotas q where q.org_id = o.id) as quota_remaining,
    (select credits_remaining from usage_quotas q where q.org_id = o.id) as credits_remaining,
    (select count(*)::int from quota_adjustments a where a.org_id = o.id and a.reason = 'credit_pack') as credit_grants,
    (select json_agg(json_build_object('session', c.stripe_checkout_session_id, 'credits', c.credits, 'revoked', c.credits_revoked)) from credit_packs c where c.org_id = o.id) as packs,
    (select json_agg(json_build_object('sub', s.stripe_subscription_id, 'customer', s.stripe_customer_id, 'status', s.status, 'price', s.price_id,
       'plan', s.plan, 'period_end', s.current_period_end, 'cancel_at_period_end', s.cancel_at_period_end, 'event_created', s.stripe_event_created))
     from subscriptions s where s.org_id = o.id) as subscriptions
  from organizations o order by o.id`;
