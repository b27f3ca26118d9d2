// SMTP down under a queue of e-mails: after a few failures the circuit breaker opens, and the
// rows wait — no attempts burnt, however long the outage — while one probe per wait checks the
// server, even with two deliverers sweeping together; when it is back each e-mail arrives exactly
// once. A message the server refuses (a recipient it does not have) still goes dead past
// OUTBOX_MAX_ATTEMPTS without pausing anyone else's mail, and a replay delivers it once.
// The outbox takes its clock as a parameter: no sleeping.
import { randomUUID } from "node:crypto";
import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { db } from "@/db/client";
import { emailMessages, outboxCircuits, outboxEvents } from "@/db/schema";
import {
  circuitOpenMs,
  circuitPolicy,
  deliverDueOutbox,
  enqueueOutboxMany,
  OUTBOX_BACKOFF_CAP_MS,
  OUTBOX_DELIVERY_CONCURRENCY,
  replayOutbox,
  type OutboxDeliverySummary,
} from "@/lib/outbox";
import { withTestEnv } from "@/tests/env";
import { operatorContextOf } from "@/tests/support/factories";
import { startSmtpSink } from "@/tests/support/servers";
import { survived, withScratchDatabase } from "./harness";

const MAX_ATTEMPTS = 4;
const CIRCUIT_FAILURES = 5;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
beforeAll(async () => {
  smtp = await startSmtpSink();
});
afterAll(async () => {
  await smtp?.close();
});
withTestEnv(() => ({
  SMTP_URL: smtp.url,
  OUTBOX_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
  OUTBOX_CIRCUIT_FAILURES: String(CIRCUIT_FAILURES),
}));
withScratchDatabase();

async function enqueueEmails(count: number, label: string, domain = "resilience.test") {
  const queued = await db().transaction((tx) =>
    enqueueOutboxMany(
      tx,
      Array.from({ length: count }, (_, i) => ({
        kind: "email" as const,
        dedupeKey: `${label}:${randomUUID()}`,
        payload: {
          kind: "test",
          to: `${label}-${i}@${domain}`,
          subject: `${label} ${i}`,
          text: "Open https://beacon.example/x",
        },
      })),
    ),
  );
  return queued.map((q) => q.id);
}

async function rows(ids: string[]) {
  return db().select().from(outboxEvents).where(inArray(outboxEvents.id, ids));
}
const smtpCircuit = async () =>
  (await db().select().from(outboxCircuits).where(eq(outboxCircuits.destination, "smtp")))[0];

/** Two deliverers sweeping at once, as two workers of the scheduled function would. */
async function sweepTwice(now: Date) {
  const [a, b] = await Promise.all([deliverDueOutbox({ now, limit: 1_000 }), deliverDueOutbox({ now, limit: 1_000 })]);
  const sum = (k: keyof Omit<OutboxDeliverySummary, "results">) => a[k] + b[k];
  return {
    claimed: sum("claimed"),
    delivered: sum("delivered"),
    retrying: sum("retrying"),
    dead: sum("dead"),
    deferred: sum("deferred"),
  };
}

it("SMTP stopped for 3 hours: the circuit opens, e-mails wait without using their attempts (one probe per wait), then arrive exactly once", async (context) => {
  const ids = await enqueueEmails(40, "wait");
  // Rows are due from the database clock at enqueue; the test's clock starts just after it.
  const start = new Date(Date.now() + 1_000);
  await smtp.set("down");

  const first = await sweepTwice(start);
  // The threshold, plus at most what the two deliverers already had in flight when it opened.
  expect(first.retrying).toBeGreaterThanOrEqual(CIRCUIT_FAILURES);
  expect(first.retrying).toBeLessThanOrEqual(CIRCUIT_FAILURES + 2 * OUTBOX_DELIVERY_CONCURRENCY);
  expect(first).toMatchObject({ claimed: 40, dead: 0, deferred: 40 - first.retrying });
  expect(await smtpCircuit()).toMatchObject({
    state: "open",
    openedAt: start,
    openUntil: new Date(start.getTime() + circuitOpenMs(1)),
  });

  // Sweeps every minute for three hours, SMTP down throughout. Each wait ends in one probe
  // (by one of the two deliverers) that fails and doubles the wait, up to its cap.
  let probes = 0;
  let now = start;
  for (let minute = 1; minute <= 180; minute++) {
    now = new Date(start.getTime() + minute * MINUTE);
    const sweep = await sweepTwice(now);
    expect(sweep.claimed).toBeLessThanOrEqual(1);
    expect(sweep).toMatchObject({ delivered: 0, dead: 0 });
    probes += sweep.claimed;
  }
  const expectedProbes = (() => {
    let at = start.getTime() + circuitOpenMs(1);
    let trips = 1;
    let n = 0;
    // A probe happens at the first whole minute at or after the wait ends, and re-opens from then.
    while (at <= now.getTime()) {
      const probeAt = start.getTime() + Math.ceil((at - start.getTime()) / MINUTE) * MINUTE;
      if (probeAt > now.getTime()) break;
      n++;
      trips++;
      at = probeAt + circuitOpenMs(trips);
    }
    return n;
  })();
  expect(probes).toBe(expectedProbes);
  expect(probes).toBeLessThan(20);
  const waiting = await rows(ids);
  expect(waiting.every((r) => r.status === "pending" && r.attempts <= 2)).toBe(true);
  expect(waiting.reduce((n, r) => n + r.attempts, 0)).toBe(first.retrying + probes);
  expect(smtp.received).toHaveLength(0);
  const circuit = await smtpCircuit();
  expect(circuit).toMatchObject({ state: "open", trips: probes + 1, openedAt: start });
  expect(circuit!.lastError).toMatch(/ECONNREFUSED|connect/i);

  // SMTP back: the next probe succeeds and closes the circuit; the next sweep sends the rest.
  await smtp.set("up");
  now = circuit!.openUntil!;
  expect(await sweepTwice(now)).toMatchObject({ claimed: 1, delivered: 1 });
  expect(await smtpCircuit()).toMatchObject({ state: "closed", consecutiveFailures: 0, trips: 0 });
  expect(await sweepTwice(now)).toMatchObject({ claimed: 39, delivered: 39 });
  expect(await sweepTwice(new Date(now.getTime() + 24 * HOUR))).toMatchObject({ claimed: 0 });
  expect([...smtp.countsById().entries()].filter(([id]) => ids.includes(id)).map(([, n]) => n)).toEqual(
    ids.map(() => 1),
  );
  expect((await rows(ids)).every((r) => r.status === "delivered" && r.lastError === null && r.attempts <= 3)).toBe(
    true,
  );
  const sent = await db()
    .select({ n: sql<number>`count(*)::int` })
    .from(emailMessages)
    .where(inArray(emailMessages.id, ids));
  expect(sent[0]!.n).toBe(40);

  survived(
    context,
    `40 e-mails, SMTP down 3 h under 2 deliverers sweeping every minute: circuit open after ${first.retrying} failures (threshold ${CIRCUIT_FAILURES}), ` +
      `${probes} probes (waits ${circuitPolicy().openMs / 1000} s doubling to ${circuitPolicy().openMaxMs / 60_000} min), 0 dead; SMTP back: 40 delivered, each once`,
  );
});

it(`a recipient the server refuses goes dead after OUTBOX_MAX_ATTEMPTS (${MAX_ATTEMPTS}) while other mail flows; replayed once accepted, each is delivered once`, async (context) => {
  smtp.rejectRecipients(/@gone\.test$/);
  const refused = await enqueueEmails(12, "dead", "gone.test");
  const fine = await enqueueEmails(12, "fine");
  let now = new Date(Date.now() + 1_000);
  await smtp.set("up");
  const sweeps: Awaited<ReturnType<typeof sweepTwice>>[] = [];
  for (let i = 0; i < MAX_ATTEMPTS; i++) {
    sweeps.push(await sweepTwice(now));
    // No backoff waits longer than the cap: an hour later every row is due again.
    now = new Date(now.getTime() + OUTBOX_BACKOFF_CAP_MS);
  }
  expect(sweeps.map((s) => s.claimed)).toEqual([24, 12, 12, 12]);
  expect(sweeps[0]).toMatchObject({ delivered: 12, retrying: 12 });
  expect(sweeps.at(-1)).toMatchObject({ dead: 12 });
  const dead = await rows(refused);
  expect(dead.every((r) => r.status === "dead" && r.attempts === MAX_ATTEMPTS)).toBe(true);
  expect(dead[0]!.lastError).toMatch(/550|mailbox unavailable/);
  // 48 refusals in a row, yet SMTP itself was fine: its circuit never opened.
  expect((await smtpCircuit())?.state ?? "closed").toBe("closed");
  expect((await rows(fine)).every((r) => r.status === "delivered")).toBe(true);
  expect(await sweepTwice(new Date(now.getTime() + 24 * HOUR))).toMatchObject({ claimed: 0 });

  smtp.rejectRecipients(null);
  const replayed = await replayOutbox(
    operatorContextOf({ email: "ops@resilience.test" }, { now }),
    { ids: refused },
    { reason: "mailboxes exist now" },
  );
  expect(replayed).toBe(12);
  expect(await sweepTwice(now)).toMatchObject({ claimed: 12, delivered: 12 });
  expect(await sweepTwice(new Date(now.getTime() + 24 * HOUR))).toMatchObject({ claimed: 0 });
  expect(
    [...smtp.countsById().entries()].filter(([id]) => refused.includes(id) || fine.includes(id)).map(([, n]) => n),
  ).toEqual([...fine, ...refused].map(() => 1));

  survived(
    context,
    `12 e-mails refused by the server (550) dead after ${MAX_ATTEMPTS} attempts, 12 others delivered, circuit closed throughout; replayed: 12 delivered, each once`,
  );
});
