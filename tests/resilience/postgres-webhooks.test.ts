// Stripe's webhook deliveries while PostgreSQL connections are killed under them: every event is
// stored and applied exactly once, and the billing state equals processing the history in order.
import { sql } from "drizzle-orm";
import Stripe from "stripe";
import { afterAll, beforeAll, expect, it } from "vitest";
import { db, setDatabase } from "@/db/client";
import { organizations } from "@/db/schema";
import { ingestStripeEvent } from "@/lib/billing";
import { env } from "@/lib/env";
import { createRateLimiter, setRateLimiter } from "@/lib/ratelimit";
import { createTestDatabase } from "@/tests/db";
import { withTestEnv } from "@/tests/env";
import { systemContextOf } from "@/tests/support/factories";
import { TEST_PRICES, TEST_WEBHOOK_SECRET, type Json } from "@/tests/fixtures/stripe/events";
import { startAppServer } from "./app-server";
import { pool, retrying, startConnectionKiller, survived, tally, withScratchDatabase } from "./harness";
import { billingHistory, BILLING_STATE_SQL } from "./stripe-history";

withTestEnv({ STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, ...TEST_PRICES });
const scratch = withScratchDatabase();

const ORGS = 10;
const DUPLICATE_SHARE = 0.2;
const KILL_EVERY_MS = 40;
/** Passes of Stripe's retry that run while connections are being killed. */
const ROUNDS_UNDER_FIRE = 2;

let app: Awaited<ReturnType<typeof startAppServer>>;
beforeAll(async () => {
  // The real limiter on Redis, as production runs it (its own key prefix).
  setRateLimiter(
    createRateLimiter({ ...env(), REDIS_URL: process.env.REDIS_URL }, { prefix: `resilience-webhooks-${Date.now()}` }),
  );
  app = await startAppServer();
});
afterAll(async () => {
  await app?.close();
  setRateLimiter(undefined);
});

/** Stripe's delivery: a freshly signed POST; answers the HTTP status (0 when the connection broke). */
async function deliver(event: Json): Promise<number> {
  const payload = JSON.stringify(event);
  const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: TEST_WEBHOOK_SECRET });
  try {
    const res = await fetch(`${app.url}/api/webhooks/stripe`, {
      method: "POST",
      body: payload,
      headers: { "content-type": "application/json", "stripe-signature": header },
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

async function billingState() {
  return (await db().execute(sql.raw(BILLING_STATE_SQL))).rows;
}

/** The same histories processed one event at a time, in order, on a calm database of their own. */
async function inOrderState(orgIds: string[], histories: Json[][]) {
  const calm = await createTestDatabase("postgres");
  const previous = setDatabase(calm);
  try {
    await db()
      .insert(organizations)
      .values(orgIds.map((id, i) => ({ id, name: `Billing ${i}` })));
    for (const history of histories)
      for (const event of history) await ingestStripeEvent(systemContextOf("billing"), event);
    return await billingState();
  } finally {
    setDatabase(previous);
    await calm.close();
  }
}

it("Stripe webhook replay while connections are killed: each event applied once, state equals in-order processing", async (context) => {
  const orgs = await db()
    .insert(organizations)
    .values(Array.from({ length: ORGS }, (_, i) => ({ name: `Billing ${i}` })))
    .returning({ id: organizations.id });
  const orgIds = orgs.map((o) => o.id);
  const histories = orgIds.map((id, i) => billingHistory(id, i));
  const events = histories.flat();

  // Stripe sends each org's events roughly in order, orgs interleaved, and some twice.
  const deliveries: Json[] = [];
  for (let step = 0; step < Math.max(...histories.map((h) => h.length)); step++)
    for (const h of histories) if (h[step]) deliveries.push(h[step]);
  for (const event of events)
    if (Math.random() < DUPLICATE_SHARE)
      deliveries.splice(deliveries.indexOf(event) + 1 + Math.floor(Math.random() * 8), 0, event);

  const killer = await startConnectionKiller(scratch().name, KILL_EVERY_MS);
  let kills: { rounds: number; killed: number } | undefined;
  const answers: number[] = [];
  let pending = deliveries;
  let rounds = 0;
  let takenOver = 0;
  while (pending.length > 0 && rounds < 10) {
    if (rounds === ROUNDS_UNDER_FIRE) kills = await killer.stop();
    if (rounds > 0) {
      // Stripe retries a failed delivery minutes later, after any claim lease a broken delivery
      // left (CLAIM_LEASE_MS) has run out: the clock jumps by moving those leases into the past.
      const expired = await retrying(() =>
        db().execute(
          sql`update stripe_events set lease_until = now() - interval '1 second' where status = 'processing' returning id`,
        ),
      );
      takenOver += expired.rows.length;
    }
    const statuses = await pool(pending.length, 6, (i) => deliver(pending[i]));
    answers.push(...statuses);
    pending = pending.filter((_, i) => statuses[i]! < 200 || statuses[i]! >= 300);
    rounds++;
  }
  kills ??= await killer.stop();
  expect(pending).toEqual([]);
  expect(kills.killed).toBeGreaterThan(0);

  const stored = await db().execute<{
    id: string;
    status: string;
    lease_until: Date | null;
    processed_at: Date | null;
  }>(sql`select id, status, lease_until, processed_at from stripe_events`);
  expect(stored.rows.map((r) => r.id).sort()).toEqual(events.map((e) => e.id).sort());
  for (const row of stored.rows)
    expect(row).toMatchObject({ status: "processed", lease_until: null, processed_at: expect.anything() });

  const state = await billingState();
  expect(state.map((s) => s.credit_grants)).toEqual(orgIds.map(() => 1));
  expect(state).toEqual(await inOrderState(orgIds, histories));

  const failedAnswers = answers.filter((s) => s < 200 || s >= 300).length;
  survived(
    context,
    `${deliveries.length} deliveries of ${events.length} events (${deliveries.length - events.length} duplicates), ${kills.killed} connections killed over ${kills.rounds} sweeps; ` +
      `answers ${JSON.stringify(tally(answers))}; ${failedAnswers} retried by "Stripe" over ${rounds} passes, ${takenOver} orphaned claims taken over; ` +
      `all ${events.length} processed once, state equal to in-order processing`,
  );
});
