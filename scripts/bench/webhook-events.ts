import { fixture, FIXTURE_PRICE, type Json } from "@/tests/fixtures/stripe/events";

/** The base of the synthetic `created` timestamps: events of one customer are seconds apart, in order. */
const T0 = 1_700_000_000;

/**
 * One customer's life as Stripe reports it, in the shapes the webhook tests use (the fixture
 * files of tests/fixtures/stripe; only ids, links and timestamps changed): subscription checkout,
 * subscription active on the Pro price, a failed then a paid invoice (dunning starts and ends,
 * each sends an event to Inngest), customer.updated, a credit-pack checkout and its partial refund.
 * Every Stripe id carries `kind` (`bench` for the measured customers, `warm` for the warm-up's),
 * so the checks count only the measured ones.
 */
export function customerEvents(orgId: string, n: number, kind: "bench" | "warm" = "bench"): Json[] {
  const customer = `cus_${kind}${n}`;
  const subId = `sub_${kind}${n}`;
  const pi = `pi_${kind}${n}`;
  const id = (k: number) => `evt_${kind}${n}_${k}`;

  const checkout = fixture("stripe-ruby-mock__checkout.session.completed.json");
  checkout.data.object = fixture("pay__checkout.session.completed.json").object;
  Object.assign(checkout, { id: id(1), created: T0 + 1 });
  Object.assign(checkout.data.object, {
    id: `cs_${kind}${n}_sub`,
    client_reference_id: orgId,
    customer,
    subscription: subId,
  });

  const subscription = fixture("stripe-ruby-mock__customer.subscription.updated.json");
  Object.assign(subscription, { id: id(2), created: T0 + 2 });
  Object.assign(subscription.data.object, {
    id: subId,
    customer,
    status: "active",
    cancel_at_period_end: false,
    metadata: { org_id: orgId },
  });
  subscription.data.object.items.data[0].price.id = FIXTURE_PRICE;

  const failed = fixture("stripe-ruby-mock__invoice.payment_failed.json");
  Object.assign(failed, { id: id(3), created: T0 + 3 });
  Object.assign(failed.data.object, { id: `in_${kind}${n}`, subscription: subId, customer });

  const paid = fixture("stripe-ruby-mock__invoice.paid.json");
  Object.assign(paid, { id: id(4), created: T0 + 4 });
  Object.assign(paid.data.object, { id: `in_${kind}${n}`, subscription: subId, customer });

  const updated = fixture("stripe-ruby-mock__customer.updated.json");
  Object.assign(updated, { id: id(5), created: T0 + 5 });
  updated.data.object.id = customer;

  const pack = fixture("stripe-ruby-mock__checkout.session.completed.json");
  Object.assign(pack, { id: id(6), created: T0 + 6 });
  Object.assign(pack.data.object, {
    id: `cs_${kind}${n}_pack`,
    client_reference_id: orgId,
    customer,
    payment_intent: pi,
  });

  const refund = fixture("stripe-ruby-mock__charge.refunded.json");
  Object.assign(refund, { id: id(7), created: T0 + 7 });
  Object.assign(refund.data.object, {
    id: `ch_${kind}${n}`,
    payment_intent: pi,
    amount: 1000,
    amount_refunded: 300,
    refunded: false,
  });

  return [checkout, subscription, failed, paid, updated, pack, refund];
}

/**
 * Where each customer ends when its events are applied in order, once: the subscription as of
 * its newest subscription event (active, Pro), dunning cleared by the paid invoice (the newest
 * invoice event), 1,000 credits bought and 300 taken back by the refund.
 */
export const IN_ORDER_END_STATE = {
  subscriptionEventCreated: new Date((T0 + 2) * 1000),
  invoiceEventCreated: new Date((T0 + 4) * 1000),
  creditsRemaining: 700,
} as const;

/** Events per customer, and of those, how many make Beacon send an event to Inngest (the two invoices). */
export const EVENTS_PER_CUSTOMER = 7;
export const INNGEST_EVENTS_PER_CUSTOMER = 2;

/**
 * The delivery order: customers interleaved (as many customers' events arrive at once), each
 * customer's events in order; then `duplicates` re-deliveries of random events, each placed at a
 * random point after its first delivery (Stripe re-sends after a timeout or a retry).
 */
export function deliveryOrder(perCustomer: Json[][], duplicates: number, random: () => number): Json[] {
  const first: Json[] = [];
  const longest = Math.max(...perCustomer.map((events) => events.length));
  for (let k = 0; k < longest; k++) for (const events of perCustomer) if (events[k]) first.push(events[k]);
  const keyed = first.map((event, i) => ({ event, key: i }));
  for (let d = 0; d < duplicates; d++) {
    const i = Math.floor(random() * first.length);
    keyed.push({ event: first[i], key: i + 0.5 + random() * (first.length - i) });
  }
  return keyed.sort((a, b) => a.key - b.key).map((k) => k.event);
}

/** A seeded generator (mulberry32): the same order every run. */
export function seededRandom(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
