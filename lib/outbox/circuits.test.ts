import http from "node:http";
import { randomUUID } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { beforeEach, expect, it } from "vitest";
import { db, type Tx } from "@/db/client";
import { auditLog, opsAlerts, outboxCircuits, outboxEvents } from "@/db/schema";
import { env } from "@/lib/env";
import { healthSummary, runOpsAlertDetector } from "@/lib/ops";
import { appErrorOf } from "@/tests/app-error";
import { withSystem } from "@/db/tenant";
import { describeEachDatabase, describeEachDatabaseAsApp } from "@/tests/db";
import { circuitOpenMs, circuitPolicy } from "./circuits";
import {
  deliverDueOutbox,
  deliverOutboxNow,
  enqueueOutboxMany,
  listOutboxCircuits,
  OUTBOX_DELIVERY_CONCURRENCY,
  retryOutboxCircuit,
  type EnqueueOutboxInput,
  type OutboxDeliverySummary,
} from "./index";
import { perTestEnv } from "@/tests/env";
import { deliveryServersForFile } from "@/tests/support/delivery-servers";
import { operatorContextOf, systemContextOf } from "@/tests/support/factories";
import { closedPort } from "@/tests/support/servers";

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const operator = { userId: randomUUID(), email: "ops@beacon.test" };

const servers = deliveryServersForFile();

const useEnv = perTestEnv();
const email = (to: string): EnqueueOutboxInput => ({
  kind: "email",
  dedupeKey: `circuit:${randomUUID()}`,
  payload: { kind: "test", to, subject: "Circuit", text: "body" },
});
const webhook = (url: string): EnqueueOutboxInput => ({
  kind: "webhook",
  dedupeKey: `circuit:${randomUUID()}`,
  payload: { url, body: { n: 1 } },
});
const enqueue = async (inputs: EnqueueOutboxInput[]) =>
  (await db().transaction((tx) => enqueueOutboxMany(tx, inputs))).map((q) => q.id);
const rowsOf = (ids: string[]) => db().select().from(outboxEvents).where(inArray(outboxEvents.id, ids));
const circuitOf = async (destination: string) =>
  (await db().select().from(outboxCircuits).where(eq(outboxCircuits.destination, destination)))[0];
const attemptsOf = async (ids: string[]) => new Map((await rowsOf(ids)).map((r) => [r.id, r.attempts]));

interface SlowDestination {
  hold(): void;
  release(): void;
}

/**
 * Two deliverers at once, as two workers of the scheduled function. With `slow`, the destination
 * holds its answers until one deliverer has finished: a probe that succeeded at once would close
 * the circuit before the other deliverer's claim, which is correct but not the race under test.
 */
async function sweepTwice(now: Date, slow?: SlowDestination) {
  slow?.hold();
  const runs = [
    deliverDueOutbox({ now, limit: 1_000, workerId: "a" }),
    deliverDueOutbox({ now, limit: 1_000, workerId: "b" }),
  ] as const;
  if (slow) {
    await Promise.race(runs);
    slow.release();
  }
  const [a, b] = await Promise.all(runs);
  const sum = (k: keyof Omit<OutboxDeliverySummary, "results">) => a[k] + b[k];
  return {
    claimed: sum("claimed"),
    delivered: sum("delivered"),
    retrying: sum("retrying"),
    dead: sum("dead"),
    deferred: sum("deferred"),
  };
}

/** An HTTP server on a port that was closed until now: the webhook destination comes back. */
async function listenOn(port: number) {
  const received: string[] = [];
  let holding = false;
  const held: (() => void)[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      const answer = () => {
        received.push(body);
        res.writeHead(200).end("ok");
      };
      if (holding) held.push(answer);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    received,
    hold: () => void (holding = true),
    release() {
      holding = false;
      for (const answer of held.splice(0)) answer();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

it("opens for twice as long after each failed probe, up to the cap", () => {
  const policy = { failures: 5, openMs: MINUTE, openMaxMs: 15 * MINUTE };
  expect([1, 2, 3, 4, 5, 6, 40].map((trips) => circuitOpenMs(trips, policy))).toEqual(
    [1, 2, 4, 8, 15, 15, 15].map((m) => m * MINUTE),
  );
  expect(circuitPolicy()).toEqual({ failures: 5, openMs: MINUTE, openMaxMs: 15 * MINUTE });
});

describeEachDatabase("outbox circuit breaker", () => {
  beforeEach(async () => {
    await db()
      .update(outboxEvents)
      .set({ status: "discarded" })
      .where(inArray(outboxEvents.status, ["pending", "sending"]));
    await db().delete(outboxCircuits);
  });
  const clock = () => new Date(Date.now() + SECOND);

  it("keys each row by destination: smtp, or a webhook's origin without credentials, path or query", async () => {
    const urls = [
      "https://Hooks.Slack.com/services/T000/B000/XXXXsecret",
      "http://user:p%40ss@127.0.0.1:8080/path/token?key=secret#frag",
      "http://example.com?token=secret",
      "http://example.com\\evil@attacker.test/x",
    ];
    const ids: string[] = [];
    for (const url of urls) {
      // Straight into the table: the key comes from the database, whatever wrote the row.
      const [row] = await db()
        .insert(outboxEvents)
        .values({ kind: "webhook", dedupeKey: randomUUID(), payload: { url, body: {} }, status: "discarded" })
        .returning();
      ids.push(row!.id);
    }
    const [mail] = await db()
      .insert(outboxEvents)
      .values({ kind: "email", dedupeKey: randomUUID(), payload: {}, status: "discarded" })
      .returning();
    const byId = new Map((await rowsOf([...ids, mail!.id])).map((r) => [r.id, r.destination]));
    expect(ids.map((id) => byId.get(id))).toEqual([
      "webhook:https://hooks.slack.com",
      "webhook:http://127.0.0.1:8080",
      "webhook:http://example.com",
      "webhook:http://example.com",
    ]);
    expect(byId.get(mail!.id)).toBe("smtp");
  });

  it("SMTP down: opens after N failures, then nothing is attempted (attempts kept) until one probe; SMTP back: everything delivered once", async () => {
    useEnv({
      SMTP_URL: `smtp://127.0.0.1:${await closedPort()}`,
      OUTBOX_MAX_ATTEMPTS: "3",
      OUTBOX_CIRCUIT_FAILURES: "3",
    });
    const ids = await enqueue(Array.from({ length: 12 }, (_, i) => email(`wait-${i}@circuit.test`)));
    const start = clock();

    const first = await sweepTwice(start);
    // The threshold, plus at most the sends the two deliverers already had in flight when it opened.
    expect(first.retrying).toBeGreaterThanOrEqual(3);
    expect(first.retrying).toBeLessThanOrEqual(3 + 2 * OUTBOX_DELIVERY_CONCURRENCY);
    expect(first).toMatchObject({ claimed: 12, dead: 0, deferred: 12 - first.retrying });
    const opened = await circuitOf("smtp");
    expect(opened).toMatchObject({
      state: "open",
      consecutiveFailures: first.retrying,
      trips: 1,
      openedAt: start,
      openUntil: new Date(start.getTime() + MINUTE),
    });
    expect(opened!.lastError).toMatch(/ECONNREFUSED|connect/i);
    const afterOpen = await attemptsOf(ids);
    expect([...afterOpen.values()].filter((n) => n === 1)).toHaveLength(first.retrying);
    expect((await rowsOf(ids)).every((r) => r.status === "pending")).toBe(true);

    // Many sweeps while it is open, past every row's backoff: none claimed, no attempt burnt.
    for (let s = 1; s <= 12; s++) {
      const at = new Date(start.getTime() + s * 5 * SECOND - 1);
      expect(await sweepTwice(at)).toMatchObject({ claimed: 0 });
      expect(await deliverOutboxNow(ids, { now: at })).toMatchObject({ claimed: 0 });
    }
    expect(await attemptsOf(ids)).toEqual(afterOpen);

    // The wait is over: of two deliverers, one sends one probe; it fails, and the circuit waits twice as long.
    const probeAt = new Date(start.getTime() + MINUTE);
    expect(await sweepTwice(probeAt)).toMatchObject({ claimed: 1, retrying: 1 });
    expect(await circuitOf("smtp")).toMatchObject({
      state: "open",
      trips: 2,
      openedAt: start,
      openUntil: new Date(probeAt.getTime() + 2 * MINUTE),
      probeToken: null,
    });
    expect(await sweepTwice(new Date(probeAt.getTime() + 2 * MINUTE - 1))).toMatchObject({ claimed: 0 });
    // Still no row used up its attempts (3): an outage does not make dead letters.
    expect((await rowsOf(ids)).every((r) => r.status === "pending" && r.attempts <= 2)).toBe(true);

    useEnv({ SMTP_URL: servers.smtp.url, OUTBOX_MAX_ATTEMPTS: "3", OUTBOX_CIRCUIT_FAILURES: "3" });
    const backAt = new Date(probeAt.getTime() + 2 * MINUTE);
    expect(await sweepTwice(backAt, servers.smtp)).toMatchObject({ claimed: 1, delivered: 1 });
    expect(await circuitOf("smtp")).toMatchObject({
      state: "closed",
      consecutiveFailures: 0,
      trips: 0,
      openedAt: null,
      openUntil: null,
    });
    expect(await sweepTwice(backAt)).toMatchObject({ claimed: 11, delivered: 11 });
    expect(await sweepTwice(new Date(backAt.getTime() + 24 * 60 * MINUTE))).toMatchObject({ claimed: 0 });
    const counts = servers.smtp.countsById();
    expect(ids.map((id) => counts.get(id))).toEqual(ids.map(() => 1));
    const rows = await rowsOf(ids);
    expect(rows.every((r) => r.status === "delivered")).toBe(true);
    // Attempts counted: the first failures, the failed probe, and one delivery each.
    expect(rows.reduce((n, r) => n + r.attempts, 0)).toBe(first.retrying + 1 + 12);
  });

  it("a half-open circuit's probe goes to exactly one of two deliverers even with a slow destination", async () => {
    useEnv({ OUTBOX_CIRCUIT_FAILURES: "2" });
    const port = await closedPort();
    const ids = await enqueue(Array.from({ length: 5 }, () => webhook(`http://127.0.0.1:${port}/hook`)));
    const start = clock();
    const first = await deliverDueOutbox({ now: start });
    expect(first.retrying).toBeGreaterThanOrEqual(2);
    expect(first).toMatchObject({ claimed: 5, deferred: 5 - first.retrying });
    const destination = `webhook:http://127.0.0.1:${port}`;
    expect(await circuitOf(destination)).toMatchObject({ state: "open" });

    const back = await listenOn(port);
    try {
      const probeAt = new Date(start.getTime() + MINUTE);
      const both = await sweepTwice(probeAt, back);
      expect(both).toMatchObject({ claimed: 1, delivered: 1 });
      expect(back.received).toHaveLength(1);
      expect(await circuitOf(destination)).toMatchObject({ state: "closed", consecutiveFailures: 0 });
      expect(await sweepTwice(probeAt)).toMatchObject({ claimed: 4, delivered: 4 });
      expect(back.received).toHaveLength(5);
      expect((await rowsOf(ids)).every((r) => r.status === "delivered")).toBe(true);
    } finally {
      await back.close();
    }
  });

  it("per destination: a dead webhook origin pauses only its own messages; e-mail and other origins flow", async () => {
    useEnv({ SMTP_URL: servers.smtp.url, OUTBOX_CIRCUIT_FAILURES: "2" });
    const dead = `http://127.0.0.1:${await closedPort()}`;
    const deadIds = await enqueue(Array.from({ length: 6 }, (_, i) => webhook(`${dead}/services/secret-${i}`)));
    const mailIds = await enqueue(Array.from({ length: 4 }, (_, i) => email(`flow-${i}@circuit.test`)));
    const liveIds = await enqueue([webhook(servers.hooks.url("/live"))]);
    const now = clock();
    const summary = await deliverDueOutbox({ now, limit: 100 });
    expect(summary).toMatchObject({ claimed: 11, delivered: 5 });
    expect(await circuitOf(`webhook:${dead}`)).toMatchObject({ state: "open" });
    // The webhook path holds the credential: it is in neither the key nor the error.
    const circuit = await circuitOf(`webhook:${dead}`);
    expect(JSON.stringify(circuit)).not.toContain("secret-");
    expect(await circuitOf("smtp")).toBeUndefined();

    // While it is open, new e-mail still goes out at once.
    const later = await enqueue([email("later@circuit.test")]);
    expect(await deliverOutboxNow([...later, ...deadIds], { now: new Date(now.getTime() + SECOND) })).toMatchObject({
      claimed: 1,
      delivered: 1,
    });
    const counts = servers.smtp.countsById();
    expect([...mailIds, ...later].map((id) => counts.get(id))).toEqual([1, 1, 1, 1, 1]);
    expect((await rowsOf(liveIds))[0]!.status).toBe("delivered");
    expect((await rowsOf(deadIds)).every((r) => r.status === "pending")).toBe(true);
  });

  it("a recipient the SMTP server refuses goes dead on its own, without opening the circuit for everyone", async () => {
    useEnv({ SMTP_URL: servers.smtp.url, OUTBOX_MAX_ATTEMPTS: "2", OUTBOX_CIRCUIT_FAILURES: "2" });
    servers.smtp.rejectRecipients(/@nowhere\.test$/);
    const refused = await enqueue(Array.from({ length: 6 }, (_, i) => email(`gone-${i}@nowhere.test`)));
    const fine = await enqueue([email("fine@circuit.test")]);
    let now = clock();
    for (let attempt = 0; attempt < 2; attempt++) {
      await deliverDueOutbox({ now, limit: 100 });
      now = new Date(now.getTime() + 60 * MINUTE);
    }
    const rows = await rowsOf(refused);
    expect(rows.every((r) => r.status === "dead" && r.attempts === 2)).toBe(true);
    expect(rows[0]!.lastError).toMatch(/550|no such mailbox/i);
    expect(await circuitOf("smtp")).toBeUndefined();
    expect((await rowsOf(fine))[0]!.status).toBe("delivered");
  });

  it("a webhook receiver refusing a body (400, 422) does not pause its origin; a gone URL (404) does", async () => {
    useEnv({ OUTBOX_CIRCUIT_FAILURES: "2" });
    const destination = `webhook:${new URL(servers.hooks.url()).origin}`;
    servers.hooks.failNext(4, 400);
    const now = clock();
    await enqueue(Array.from({ length: 4 }, (_, i) => webhook(servers.hooks.url(`/malformed-${i}`))));
    expect(await deliverDueOutbox({ now })).toMatchObject({ claimed: 4, retrying: 4, deferred: 0 });
    expect(await circuitOf(destination)).toBeUndefined();

    servers.hooks.failNext(2, 404);
    await enqueue([webhook(servers.hooks.url("/gone-1")), webhook(servers.hooks.url("/gone-2"))]);
    expect(await deliverDueOutbox({ now, limit: 1 })).toMatchObject({ retrying: 1 });
    expect(await deliverDueOutbox({ now, limit: 1 })).toMatchObject({ retrying: 1 });
    expect(await circuitOf(destination)).toMatchObject({
      state: "open",
      consecutiveFailures: 2,
      lastError: "webhook answered HTTP 404",
    });
  });

  it("retry now: an operator makes an open circuit probe at the next delivery, audited; refused when closed or unknown", async () => {
    useEnv({ OUTBOX_CIRCUIT_FAILURES: "1", OUTBOX_CIRCUIT_OPEN_MS: String(10 * MINUTE) });
    const destination = `webhook:${new URL(servers.hooks.url()).origin}`;
    servers.hooks.failNext(1);
    const ids = await enqueue([webhook(servers.hooks.url("/a")), webhook(servers.hooks.url("/b"))]);
    const now = clock();
    expect(await deliverDueOutbox({ now, limit: 1 })).toMatchObject({ retrying: 1 });
    expect(await circuitOf(destination)).toMatchObject({
      state: "open",
      openUntil: new Date(now.getTime() + 10 * MINUTE),
    });
    expect(await listOutboxCircuits(operatorContextOf())).toEqual([
      expect.objectContaining({
        destination,
        state: "open",
        consecutiveFailures: 1,
        lastError: "webhook answered HTTP 500",
      }),
    ]);

    const at = new Date(now.getTime() + MINUTE);
    expect(await deliverDueOutbox({ now: at })).toMatchObject({ claimed: 0 });
    const retried = await retryOutboxCircuit(operatorContextOf(operator, { now: at }), destination, {
      reason: "receiver fixed",
    });
    expect(retried).toMatchObject({ state: "half_open", probeToken: null });
    const [entry] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetType, "outbox_circuit"), eq(auditLog.targetId, destination)));
    expect(entry).toMatchObject({
      action: "outbox.circuit_retry",
      actorType: "operator",
      actorId: operator.userId,
      reason: "receiver fixed",
      before: { state: "open", consecutive_failures: 1 },
      after: { state: "half_open" },
    });

    // The other row was due all along: it is the probe; then the circuit is closed and the failed one goes after its backoff.
    expect(await deliverDueOutbox({ now: at })).toMatchObject({ claimed: 1, delivered: 1 });
    expect(await circuitOf(destination)).toMatchObject({ state: "closed" });
    expect(await deliverDueOutbox({ now: new Date(at.getTime() + 60 * MINUTE) })).toMatchObject({
      claimed: 1,
      delivered: 1,
    });
    expect((await rowsOf(ids)).every((r) => r.status === "delivered")).toBe(true);

    expect((await appErrorOf(retryOutboxCircuit(operatorContextOf(operator, { now: at }), destination))).code).toBe(
      "conflict",
    );
    expect(
      (await appErrorOf(retryOutboxCircuit(operatorContextOf(operator), "webhook:http://nowhere.test"))).code,
    ).toBe("not_found");
  });

  it("an open circuit raises a critical ops alert per destination, sent by e-mail while the alert webhook itself is down; it resolves once closed", async () => {
    useEnv({ SMTP_URL: servers.smtp.url, OUTBOX_CIRCUIT_FAILURES: "2" });
    const port = await closedPort();
    const alertUrl = `http://127.0.0.1:${port}/services/T0/B0/alert-secret`;
    const destination = `webhook:http://127.0.0.1:${port}`;
    const config = { ...env(), OPS_ALERT_WEBHOOK_URL: alertUrl, OPS_ALERT_EMAIL: "oncall@circuit.test" };
    await enqueue([webhook(alertUrl), webhook(alertUrl)]);
    const now = clock();
    await deliverDueOutbox({ now });
    expect(await circuitOf(destination)).toMatchObject({ state: "open" });

    await runOpsAlertDetector(systemContextOf("ops-cockpit", now), config);
    const [alert] = await db()
      .select()
      .from(opsAlerts)
      .where(and(eq(opsAlerts.kind, "outbox_circuit_open"), eq(opsAlerts.status, "open")));
    expect(alert).toMatchObject({ subject: destination, orgId: null });
    expect(alert!.summary).toContain(destination);
    expect(alert!.summary).not.toContain("alert-secret");
    // The e-mail went out; the webhook notification waits behind its own open circuit.
    const mails = servers.smtp.received.filter((m) => m.to.includes("oncall@circuit.test"));
    expect(mails.some((m) => m.raw.includes("outbox_circuit_open"))).toBe(true);
    const [waiting] = await db()
      .select()
      .from(outboxEvents)
      .where(eq(outboxEvents.dedupeKey, `ops-alert:${alert!.id}:webhook`));
    expect(waiting).toMatchObject({ status: "pending", attempts: 0 });
    // The cockpit's health numbers show it: a paused destination and a critical alert.
    expect(await healthSummary(operatorContextOf({}, { now }))).toMatchObject({
      openCircuits: [destination],
      criticalAlerts: expect.any(Number),
    });
    expect((await healthSummary(operatorContextOf({}, { now }))).criticalAlerts).toBeGreaterThanOrEqual(1);
    // Still open on the next run: the same alert, not a new one.
    expect(
      await runOpsAlertDetector(systemContextOf("ops-cockpit", new Date(now.getTime() + SECOND)), config),
    ).toMatchObject({ opened: 0 });

    const back = await listenOn(port);
    try {
      const probeAt = new Date(now.getTime() + MINUTE);
      expect(await deliverDueOutbox({ now: probeAt })).toMatchObject({ delivered: 1 });
      expect(await circuitOf(destination)).toMatchObject({ state: "closed" });
      await deliverDueOutbox({ now: probeAt });
      expect(back.received.some((b) => b.includes("outbox_circuit_open"))).toBe(true);
    } finally {
      await back.close();
    }
    await runOpsAlertDetector(systemContextOf("ops-cockpit", new Date(now.getTime() + 2 * MINUTE)), config);
    expect((await healthSummary(operatorContextOf({}, { now }))).openCircuits).toEqual([]);
    expect(await db().select().from(opsAlerts).where(eq(opsAlerts.id, alert!.id))).toEqual([
      expect.objectContaining({ status: "resolved" }),
    ]);
  });
});

/** Delivery and circuits as the app's own role: every statement must go through withSystem. */
describeEachDatabaseAsApp("outbox delivery and circuits under row-level security", () => {
  const clock = () => new Date(Date.now() + SECOND);
  const asSystem = <T>(fn: (tx: Tx) => Promise<T>) => withSystem("outbox", fn);
  const enqueueAsSystem = async (inputs: EnqueueOutboxInput[]) =>
    (await asSystem((tx) => enqueueOutboxMany(tx, inputs))).map((q) => q.id);
  const systemRows = (ids: string[]) =>
    asSystem((tx) => tx.select().from(outboxEvents).where(inArray(outboxEvents.id, ids)));
  const systemCircuit = async (destination: string) =>
    (await asSystem((tx) => tx.select().from(outboxCircuits).where(eq(outboxCircuits.destination, destination))))[0];

  it("delivers e-mail, opens a circuit, lets an operator retry it and closes it on the probe", async () => {
    useEnv({ SMTP_URL: servers.smtp.url, OUTBOX_CIRCUIT_FAILURES: "1", OUTBOX_CIRCUIT_OPEN_MS: String(10 * MINUTE) });
    expect(await db().select().from(outboxEvents)).toEqual([]);
    const [mail] = await enqueueAsSystem([email("app-role@circuit.test")]);
    const now = clock();
    expect(await deliverOutboxNow([mail!], { now })).toMatchObject({ claimed: 1, delivered: 1 });
    expect(servers.smtp.countsById().get(mail!)).toBe(1);

    const destination = `webhook:${new URL(servers.hooks.url()).origin}`;
    servers.hooks.failNext(1);
    const ids = await enqueueAsSystem([webhook(servers.hooks.url("/a")), webhook(servers.hooks.url("/b"))]);
    expect(await deliverDueOutbox({ now, limit: 1 })).toMatchObject({ claimed: 1, retrying: 1 });
    expect(await systemCircuit(destination)).toMatchObject({ state: "open", consecutiveFailures: 1 });
    expect((await listOutboxCircuits(operatorContextOf())).map((c) => c.destination)).toEqual([destination]);
    const at = new Date(now.getTime() + MINUTE);
    expect(await deliverDueOutbox({ now: at })).toMatchObject({ claimed: 0 });

    await retryOutboxCircuit(operatorContextOf(operator, { now: at }), destination, { reason: "receiver fixed" });
    const audited = await asSystem((tx) =>
      tx
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.targetType, "outbox_circuit"), eq(auditLog.targetId, destination))),
    );
    expect(audited.map((a) => a.action)).toEqual(["outbox.circuit_retry"]);
    expect(await sweepTwice(at, servers.hooks)).toMatchObject({ claimed: 1, delivered: 1 });
    expect(await systemCircuit(destination)).toMatchObject({ state: "closed", consecutiveFailures: 0 });
    await deliverDueOutbox({ now: new Date(at.getTime() + 60 * MINUTE) });
    expect((await systemRows(ids)).map((r) => r.status)).toEqual(["delivered", "delivered"]);
  });
});
