// The webhook benchmark's customer (webhook-events.ts) as a budget of round trips: each event
// type's statements are counted on the wire, so a change that adds a round trip to a Stripe
// event is seen here, in CI, not only in a benchmark run.
import { eq } from "drizzle-orm";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDatabase, type DatabaseHandle } from "@/db/client";
import { withSystem } from "@/db/tenant";
import { organizations, usageQuotas } from "@/db/schema";
import { ingestStripeEvent } from "@/lib/billing";
import { orgContext, systemActor, systemContext } from "@/lib/context";
import { setQuotaRemaining } from "@/lib/metering";
import { eventSender, registerEventSender, type EventSender } from "@/lib/outbox";
import { createTestDatabase } from "@/tests/db";
import { withTestEnv } from "@/tests/env";
import { TEST_PRICES } from "@/tests/fixtures/stripe/events";
import { messagesDuring } from "@/tests/support/pg-messages";
import { customerEvents, IN_ORDER_END_STATE } from "./webhook-events";

withTestEnv({ ...TEST_PRICES });

/** The most messages each event of the customer's life may send to PostgreSQL, in order. */
const BUDGET = [
  ["checkout.session.completed (subscription)", 12],
  // With the plan changes these events make (free → pro, lapsed grace → free, paid → pro).
  ["customer.subscription.updated", 10],
  // Each also hands its dunning event over after the commit: the claim (4), then the outcome (3).
  ["invoice.payment_failed", 17],
  ["invoice.paid", 17],
  ["customer.updated", 4],
  ["checkout.session.completed (credit pack)", 6],
  ["charge.refunded", 6],
] as const;

describe.runIf(process.env.DATABASE_URL)("webhook benchmark round trips [postgres]", () => {
  let handle: DatabaseHandle | undefined;
  let orgId = "";

  // As in the benchmark, the dunning events go to Inngest's event API: here to a recorder, so no
  // background function another test file registered runs in this process and adds statements.
  const handedOver: { name: string }[] = [];
  let registered: EventSender | undefined;

  beforeAll(async () => {
    registered = eventSender();
    registerEventSender(async (events) => void handedOver.push(...events));
    handle = await createTestDatabase("postgres");
    setDatabase(handle);
    const [org] = await withSystem("seed", (tx) =>
      tx.insert(organizations).values({ name: "Round trips" }).returning({ id: organizations.id }),
    );
    orgId = org!.id;
    await setQuotaRemaining(orgContext(orgId, systemActor("seed")), 100);
  });
  afterAll(async () => {
    registerEventSender(registered);
    setDatabase(undefined);
    await handle?.close();
  });

  it("each event of a customer's life is applied within its budget of round trips", async () => {
    const events = customerEvents(orgId, 1);
    const spent: [string, number][] = [];
    for (const [i, event] of events.entries()) {
      let duplicate: boolean | undefined;
      const sent = await messagesDuring(async () => {
        ({ duplicate } = await ingestStripeEvent(
          systemContext(systemActor("billing")),
          event as unknown as Stripe.Event,
        ));
      });
      expect(duplicate).toBe(false);
      spent.push([BUDGET[i]![0], sent.length]);
    }
    // Cheap because it did the work: the org ends as the benchmark checks it does.
    const [org] = await withSystem("seed", (tx) =>
      tx.select({ plan: organizations.plan }).from(organizations).where(eq(organizations.id, orgId)),
    );
    expect(org!.plan).toBe("pro");
    const [quota] = await withSystem("seed", (tx) =>
      tx.select({ credits: usageQuotas.creditsRemaining }).from(usageQuotas).where(eq(usageQuotas.orgId, orgId)),
    );
    expect(quota!.credits).toBe(IN_ORDER_END_STATE.creditsRemaining);
    expect(handedOver.map((event) => event.name)).toEqual(["billing/invoice.payment_failed", "billing/invoice.paid"]);
    expect(events).toHaveLength(BUDGET.length);
    const over = spent.filter(([, count], i) => count > BUDGET[i]![1]);
    expect(over, `round trips per event: ${JSON.stringify(spent)}`).toEqual([]);
  });

  it("many customers' events delivered together cost a few statements per batch, not per event", async () => {
    const CUSTOMERS = 12;
    const orgIds: string[] = [];
    for (let n = 0; n < CUSTOMERS; n++) {
      const [org] = await withSystem("seed", (tx) =>
        tx
          .insert(organizations)
          .values({ name: `Together ${n}` })
          .returning({ id: organizations.id }),
      );
      orgIds.push(org!.id);
      await setQuotaRemaining(orgContext(org!.id, systemActor("seed")), 100);
    }
    const lives = orgIds.map((id, n) => customerEvents(id, 100 + n));
    const spent: [string, number][] = [];
    for (let k = 0; k < BUDGET.length; k++) {
      const sent = await messagesDuring(() =>
        Promise.all(
          lives.map((events) =>
            ingestStripeEvent(systemContext(systemActor("billing")), events[k] as unknown as Stripe.Event),
          ),
        ),
      );
      spent.push([BUDGET[k]![0], sent.length]);
    }
    // The first delivery goes alone, the others together: at most three times one event's
    // budget for twelve events (applied one by one they take twelve times).
    const over = spent.filter(([, count], i) => count > 3 * BUDGET[i]![1]);
    expect(over, `statements per wave of ${CUSTOMERS} events: ${JSON.stringify(spent)}`).toEqual([]);
    for (const orgId of orgIds) {
      const [org] = await withSystem("seed", (tx) =>
        tx.select({ plan: organizations.plan }).from(organizations).where(eq(organizations.id, orgId)),
      );
      const [quota] = await withSystem("seed", (tx) =>
        tx.select({ credits: usageQuotas.creditsRemaining }).from(usageQuotas).where(eq(usageQuotas.orgId, orgId)),
      );
      expect([org!.plan, quota!.credits]).toEqual(["pro", IN_ORDER_END_STATE.creditsRemaining]);
    }
  });
});
