// A worker process killed with SIGKILL in the middle of its work — an outbox sweep waiting on
// the SMTP server, a Stripe webhook waiting on a row lock — after it claimed that work: its lease
// keeps everyone else off until it runs out, then another worker finishes the work exactly once.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import readline from "node:readline";
import { eq, inArray, sql } from "drizzle-orm";
import pg from "pg";
import Stripe from "stripe";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { db } from "@/db/client";
import { creditPacks, organizations, outboxEvents, quotaAdjustments, stripeEvents, usageQuotas } from "@/db/schema";
import { setQuotaRemaining } from "@/lib/metering";
import { systemActor } from "@/lib/context";
import { contextOf } from "@/tests/support/factories";
import { deliverDueOutbox, enqueueOutboxMany, OUTBOX_LEASE_MS } from "@/lib/outbox";
import { MemoryRateLimiter, setRateLimiter } from "@/lib/ratelimit";
import { withTestEnv } from "@/tests/env";
import { fixture, TEST_PRICES, TEST_WEBHOOK_SECRET } from "@/tests/fixtures/stripe/events";
import { startSmtpSink } from "@/tests/support/servers";
import { startAppServer } from "./app-server";
import { eventually, survived, withScratchDatabase } from "./harness";

const ROOT = path.resolve(import.meta.dirname, "../..");

let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
beforeAll(async () => {
  smtp = await startSmtpSink();
});
withTestEnv(() => ({ SMTP_URL: smtp.url, STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, ...TEST_PRICES }));
const scratch = withScratchDatabase();

let app: Awaited<ReturnType<typeof startAppServer>>;
const children: ChildProcess[] = [];
beforeAll(async () => {
  setRateLimiter(new MemoryRateLimiter());
  app = await startAppServer();
});
afterEach(() => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});
afterAll(async () => {
  await app?.close();
  await smtp?.close();
  setRateLimiter(undefined);
});

/** Starts worker-main.ts in its own process on the scratch database; answers it and its output lines. */
function spawnWorker(mode: "outbox" | "app") {
  // node itself with tsx's loader (not the tsx CLI, which would run the worker in a grandchild
  // that SIGKILL on the CLI leaves running).
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "tests/resilience/worker-main.ts"), mode], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: scratch().url, LOG_LEVEL: "silent", REDIS_URL: "" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  const lines = readline.createInterface({ input: child.stdout! });
  const firstLine = new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    child.once("exit", (code, signal) => reject(new Error(`worker exited (${code ?? signal}) before it started`)));
  });
  firstLine.catch(() => {}); // only the app mode waits for it
  return { child, firstLine };
}

async function killHard(child: ChildProcess) {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}

it("an outbox worker killed mid-delivery: its lease holds the rows, then another worker sends each e-mail exactly once", async (context) => {
  const ids = (
    await db().transaction((tx) =>
      enqueueOutboxMany(
        tx,
        Array.from({ length: 6 }, (_, i) => ({
          kind: "email" as const,
          dedupeKey: `crash:${randomUUID()}`,
          payload: { kind: "test", to: `crash-${i}@resilience.test`, subject: "Crash", text: "x" },
        })),
      ),
    )
  ).map((q) => q.id);
  const rows = () => db().select().from(outboxEvents).where(inArray(outboxEvents.id, ids));

  // The SMTP server takes each message and never acknowledges it: the worker is mid-delivery.
  await smtp.set("stalling");
  const worker = spawnWorker("outbox");
  await eventually(
    "the worker has claimed every row and is sending",
    async () => smtp.stalledCount() > 0 && (await rows()).every((r) => r.status === "sending"),
    30_000,
  );
  await killHard(worker.child);
  await smtp.set("up");

  const claimed = await rows();
  expect(claimed.every((r) => r.status === "sending" && r.attempts === 1 && r.leaseUntil !== null)).toBe(true);
  // While the dead worker's lease runs, nobody else takes its rows (no double send).
  expect(await deliverDueOutbox({ limit: 100 })).toMatchObject({ claimed: 0 });
  expect(smtp.received).toHaveLength(0);

  // Once it ran out, the next sweep takes the rows over and delivers each once.
  const afterLease = new Date(Math.max(...claimed.map((r) => r.leaseUntil!.getTime())) + 1_000);
  expect(afterLease.getTime() - Date.now()).toBeLessThanOrEqual(OUTBOX_LEASE_MS + 1_000);
  expect(await deliverDueOutbox({ now: afterLease, limit: 100 })).toMatchObject({ claimed: 6, delivered: 6 });
  expect(
    await deliverDueOutbox({ now: new Date(afterLease.getTime() + OUTBOX_LEASE_MS * 10), limit: 100 }),
  ).toMatchObject({ claimed: 0 });
  expect([...smtp.countsById().entries()].filter(([id]) => ids.includes(id)).map(([, n]) => n)).toEqual(
    ids.map(() => 1),
  );
  expect((await rows()).every((r) => r.status === "delivered" && r.attempts === 2)).toBe(true);

  survived(
    context,
    `worker SIGKILLed with 6 e-mails claimed and ${smtp.stalledCount()} mid-SMTP; lease held them; after it: 6 delivered by another worker, each received once`,
  );
});

it("an app process killed mid-webhook: the claimed event is applied once, by Stripe's retry on another process", async (context) => {
  const [org] = await db().insert(organizations).values({ name: "Crash Co" }).returning({ id: organizations.id });
  const orgId = org!.id;
  await setQuotaRemaining(contextOf(orgId, systemActor("seed")), 100);
  // A credit-pack checkout (stripe-ruby-mock checkout.session.completed, mode=payment; changed:
  // event id, session id, client_reference_id, customer, payment_intent): +1,000 credits, once.
  const event = fixture("stripe-ruby-mock__checkout.session.completed.json");
  Object.assign(event, { id: `evt_crash_${randomUUID().slice(0, 8)}` });
  Object.assign(event.data.object, {
    id: `cs_crash_${randomUUID().slice(0, 8)}`,
    client_reference_id: orgId,
    customer: `cus_crash_${randomUUID().slice(0, 8)}`,
    payment_intent: `pi_crash_${randomUUID().slice(0, 8)}`,
  });
  const payload = JSON.stringify(event);
  const deliver = (url: string) =>
    fetch(`${url}/api/webhooks/stripe`, {
      method: "POST",
      body: payload,
      headers: {
        "content-type": "application/json",
        "stripe-signature": Stripe.webhooks.generateTestHeaderString({ payload, secret: TEST_WEBHOOK_SECRET }),
      },
    });

  // Someone holds the org's row: the worker's processing transaction will wait on it after the claim.
  const locker = new pg.Client({ connectionString: scratch().url });
  await locker.connect();
  let delivery: Promise<unknown> | undefined;
  try {
    await locker.query("begin");
    await locker.query("select id from organizations where id = $1 for update", [orgId]);
    const worker = spawnWorker("app");
    const { url } = JSON.parse(await worker.firstLine) as { url: string };
    delivery = deliver(url).then(
      (res) => res.status,
      () => "connection lost",
    );
    await eventually(
      "the worker claimed the event and waits inside its processing",
      async () => {
        const [row] = await db().select().from(stripeEvents).where(eq(stripeEvents.id, event.id));
        const waiting = await db().execute(
          sql`select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
        );
        return row?.status === "processing" && waiting.rows.length > 0;
      },
      30_000,
    );
    await killHard(worker.child);
  } finally {
    await locker.query("rollback");
    await locker.end();
  }
  // Stripe saw the connection die: it will retry.
  expect(await delivery).toBe("connection lost");
  const [claimed] = await db().select().from(stripeEvents).where(eq(stripeEvents.id, event.id));
  expect(claimed).toMatchObject({ status: "processing", attempts: 1 });
  // The dead process's transaction never committed: nothing was granted.
  await eventually(
    "the killed process's backend is gone",
    async () =>
      (
        await db().execute(
          sql`select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
        )
      ).rows.length === 0,
  );
  expect(await db().select().from(creditPacks).where(eq(creditPacks.orgId, orgId))).toHaveLength(0);

  // Stripe's retry comes minutes later, after the claim's lease (CLAIM_LEASE_MS) ran out: the
  // clock jumps by moving the lease into the past. The retry lands on another app process.
  await db()
    .update(stripeEvents)
    .set({ leaseUntil: sql`now() - interval '1 second'` })
    .where(eq(stripeEvents.id, event.id));
  const retry = await deliver(app.url);
  expect(retry.status).toBe(200);
  expect(await retry.json()).toEqual({ received: true, duplicate: false });
  const again = await deliver(app.url);
  expect(await again.json()).toEqual({ received: true, duplicate: true });

  const [processed] = await db().select().from(stripeEvents).where(eq(stripeEvents.id, event.id));
  expect(processed).toMatchObject({ status: "processed", attempts: 2, leaseUntil: null, orgId });
  expect(await db().select().from(creditPacks).where(eq(creditPacks.orgId, orgId))).toMatchObject([{ credits: 1_000 }]);
  const grants = await db().select().from(quotaAdjustments).where(eq(quotaAdjustments.orgId, orgId));
  expect(grants.filter((g) => g.reason === "credit_pack")).toHaveLength(1);
  const [quota] = await db().select().from(usageQuotas).where(eq(usageQuotas.orgId, orgId));
  expect(quota).toMatchObject({ quotaRemaining: 100, creditsRemaining: 1_000 });

  survived(
    context,
    `app process SIGKILLed holding the claim mid-transaction; nothing committed; Stripe's retry on another process applied it once (+1,000 credits, one grant), the next was a duplicate`,
  );
});
