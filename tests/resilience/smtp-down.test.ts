// SMTP down under a queue of e-mails: rows wait and retry with backoff instead of burning their
// attempts at once, and are delivered exactly once when the server is back, even with two
// deliverers sweeping together; past OUTBOX_MAX_ATTEMPTS they go dead, and a replay delivers
// them once. The outbox takes its clock as a parameter: no sleeping.
import { randomUUID } from "node:crypto";
import { inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { db } from "@/db/client";
import { emailMessages, outboxEvents } from "@/db/schema";
import { deliverDueOutbox, enqueueOutboxMany, OUTBOX_BACKOFF_BASE_MS, OUTBOX_BACKOFF_CAP_MS, replayOutbox, type OutboxDeliverySummary } from "@/lib/outbox";
import { withTestEnv } from "@/tests/env";
import { survived, withScratchDatabase } from "./harness";
import { startControllableSmtp } from "./smtp";

const MAX_ATTEMPTS = 4;
const HOUR = 60 * 60_000;

let smtp: Awaited<ReturnType<typeof startControllableSmtp>>;
beforeAll(async () => {
  smtp = await startControllableSmtp();
});
afterAll(async () => {
  await smtp?.close();
});
withTestEnv(() => ({ SMTP_URL: smtp.url, OUTBOX_MAX_ATTEMPTS: String(MAX_ATTEMPTS) }));
withScratchDatabase();

async function enqueueEmails(count: number, label: string) {
  const queued = await db().transaction((tx) =>
    enqueueOutboxMany(
      tx,
      Array.from({ length: count }, (_, i) => ({
        kind: "email" as const,
        dedupeKey: `${label}:${randomUUID()}`,
        payload: { kind: "test", to: `${label}-${i}@resilience.test`, subject: `${label} ${i}`, text: "Open https://beacon.example/x" },
      })),
    ),
  );
  return queued.map((q) => q.id);
}

async function rows(ids: string[]) {
  return db().select().from(outboxEvents).where(inArray(outboxEvents.id, ids));
}

/** Two deliverers sweeping at once, as two workers of the scheduled function would. */
async function sweepTwice(now: Date) {
  const [a, b] = await Promise.all([deliverDueOutbox({ now, limit: 1_000 }), deliverDueOutbox({ now, limit: 1_000 })]);
  const sum = (k: keyof Omit<OutboxDeliverySummary, "results">) => a[k] + b[k];
  return { claimed: sum("claimed"), delivered: sum("delivered"), retrying: sum("retrying"), dead: sum("dead") };
}

it("SMTP stopped: e-mails wait with backoff, then arrive exactly once when it is back", async (context) => {
  const ids = await enqueueEmails(40, "wait");
  // Rows are due from the database clock at enqueue; the test's clock starts just after it.
  let now = new Date(Date.now() + 1_000);
  await smtp.set("down");

  expect(await sweepTwice(now)).toMatchObject({ claimed: 40, retrying: 40 });
  for (const row of await rows(ids)) {
    expect(row).toMatchObject({ status: "pending", attempts: 1, lastError: expect.stringMatching(/ECONNREFUSED|connect/i) });
    const wait = row.nextAttemptAt.getTime() - now.getTime();
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(OUTBOX_BACKOFF_BASE_MS);
  }
  // Nothing is due again at once: SMTP being down does not turn into a hot retry loop.
  expect(await sweepTwice(now)).toMatchObject({ claimed: 0 });
  const retryTimes = new Set((await rows(ids)).map((r) => r.nextAttemptAt.getTime()));

  now = new Date(now.getTime() + OUTBOX_BACKOFF_BASE_MS);
  expect(await sweepTwice(now)).toMatchObject({ claimed: 40, retrying: 40 });
  expect((await rows(ids)).every((r) => r.attempts === 2 && r.status === "pending")).toBe(true);
  expect(smtp.received).toHaveLength(0);

  await smtp.set("up");
  now = new Date(now.getTime() + 2 * OUTBOX_BACKOFF_BASE_MS);
  expect(await sweepTwice(now)).toMatchObject({ claimed: 40, delivered: 40 });
  expect(await sweepTwice(new Date(now.getTime() + 24 * HOUR))).toMatchObject({ claimed: 0 });
  expect([...smtp.countsById().entries()].filter(([id]) => ids.includes(id)).map(([, n]) => n)).toEqual(ids.map(() => 1));
  expect((await rows(ids)).every((r) => r.status === "delivered" && r.attempts === 3 && r.lastError === null)).toBe(true);
  const sent = await db().select({ n: sql<number>`count(*)::int` }).from(emailMessages).where(inArray(emailMessages.id, ids));
  expect(sent[0]!.n).toBe(40);

  survived(
    context,
    `40 e-mails, SMTP down for 2 sweeps of 2 deliverers: retries spread over ${retryTimes.size} distinct times within ${OUTBOX_BACKOFF_BASE_MS / 1000} s, none early; ` +
      `SMTP back: 40 delivered, each received once (attempts 3)`,
  );
});

it(`SMTP down past OUTBOX_MAX_ATTEMPTS (${MAX_ATTEMPTS}): rows go dead; replayed when it is back, each is delivered once`, async (context) => {
  const ids = await enqueueEmails(12, "dead");
  let now = new Date(Date.now() + 1_000);
  await smtp.set("down");
  const sweeps: Awaited<ReturnType<typeof sweepTwice>>[] = [];
  for (let i = 0; i < MAX_ATTEMPTS; i++) {
    sweeps.push(await sweepTwice(now));
    // No backoff waits longer than the cap: an hour later every row is due again.
    now = new Date(now.getTime() + OUTBOX_BACKOFF_CAP_MS);
  }
  expect(sweeps.map((s) => s.claimed)).toEqual(Array.from({ length: MAX_ATTEMPTS }, () => 12));
  expect(sweeps.at(-1)).toMatchObject({ dead: 12 });
  expect((await rows(ids)).every((r) => r.status === "dead" && r.attempts === MAX_ATTEMPTS)).toBe(true);
  expect(await sweepTwice(new Date(now.getTime() + 24 * HOUR))).toMatchObject({ claimed: 0 });

  await smtp.set("up");
  const replayed = await replayOutbox({ ids }, { type: "operator", id: randomUUID(), email: "ops@resilience.test" }, { now, reason: "SMTP is back" });
  expect(replayed).toBe(12);
  expect(await sweepTwice(now)).toMatchObject({ claimed: 12, delivered: 12 });
  expect(await sweepTwice(new Date(now.getTime() + 24 * HOUR))).toMatchObject({ claimed: 0 });
  expect([...smtp.countsById().entries()].filter(([id]) => ids.includes(id)).map(([, n]) => n)).toEqual(ids.map(() => 1));

  survived(context, `12 e-mails dead after ${MAX_ATTEMPTS} attempts with SMTP down; replayed: 12 delivered, each received once`);
});
