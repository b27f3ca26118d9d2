import { randomUUID } from "node:crypto";
import { eq, inArray } from "drizzle-orm";
import { beforeEach, expect, it } from "vitest";
import { db } from "@/db/client";
import { withSystem, withTenant } from "@/db/tenant";
import { emailMessages, organizations, outboxCircuits, outboxEvents } from "@/db/schema";
import { appErrorOf } from "@/tests/app-error";
import { describeEachDatabase } from "@/tests/db";
import { OUTBOX_BACKOFF_BASE_MS, OUTBOX_BACKOFF_CAP_MS, OUTBOX_BACKOFF_MIN_MS, outboxBackoffMs } from "./backoff";
import {
  deliverDueOutbox,
  deliverOutboxNow,
  claimOutboxIn,
  deliverOutboxClaim,
  enqueueEvents,
  enqueueOutbox,
  eventSender,
  registerEventSender,
  HIDDEN_LINK,
  OUTBOX_LEASE_MS,
  sendEmailNow,
  verifyWebhookSignature,
  WEBHOOK_SIGNATURE_HEADER,
  type EnqueueOutboxInput,
  type EventPayload,
} from "./index";
import { perTestEnv } from "@/tests/env";
import { captureLogs } from "@/tests/log-capture";
import { deliveryServersForFile } from "@/tests/support/delivery-servers";
import { messagesDuring } from "@/tests/support/pg-messages";
import { closedPort } from "@/tests/support/servers";

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
// The largest draw below 1: each wait is its ceiling minus a millisecond.
const takeCeiling = () => 1 - 1e-9;

const servers = deliveryServersForFile();

const useEnv = perTestEnv();

const email = (to = `${randomUUID()}@outbox.test`): EnqueueOutboxInput => ({
  kind: "email",
  dedupeKey: `test:${randomUUID()}`,
  payload: { kind: "test", to, subject: "Hello from the outbox", text: "Open https://beacon.example/x" },
});

async function enqueue(input: EnqueueOutboxInput) {
  return db().transaction((tx) => enqueueOutbox(tx, input));
}
async function rowOf(id: string) {
  const [row] = await db().select().from(outboxEvents).where(eq(outboxEvents.id, id));
  return row!;
}

describeEachDatabase("outbox delivery", ({ driver }) => {
  // Each test starts with nothing left due from earlier tests, so sweeps only see its own rows,
  // and with every circuit closed and clean (the circuit breaker has its own tests).
  beforeEach(async () => {
    await db()
      .update(outboxEvents)
      .set({ status: "discarded" })
      .where(inArray(outboxEvents.status, ["pending", "sending"]));
    await db().delete(outboxCircuits);
  });
  // Rows are due from the database clock at enqueue; the tests' clock starts just after it.
  const clock = () => new Date(Date.now() + SECOND);

  it("e-mails over SMTP exactly once, and records the delivery on the e-mail", async () => {
    useEnv({ SMTP_URL: servers.smtp.url });
    const queued = await enqueue(email("buyer@outbox.test"));
    const now = clock();
    const first = await deliverOutboxNow([queued.id], { now });
    expect(first).toMatchObject({ claimed: 1, delivered: 1 });
    // Neither a second immediate attempt nor a sweep sends it again.
    expect(await deliverOutboxNow([queued.id], { now })).toMatchObject({ claimed: 0 });
    expect(await deliverDueOutbox({ now: new Date(now.getTime() + 10 * MINUTE) })).toMatchObject({ claimed: 0 });
    expect(servers.smtp.received).toHaveLength(1);
    expect(servers.smtp.received[0]!.to).toEqual(["buyer@outbox.test"]);
    expect(servers.smtp.received[0]!.raw).toContain("Subject: Hello from the outbox");
    expect(servers.smtp.received[0]!.messageId).toBe(`${queued.id}@beacon.outbox`);
    expect(await rowOf(queued.id)).toMatchObject({
      status: "delivered",
      attempts: 1,
      deliveredAt: now,
      leaseUntil: null,
      lastError: null,
    });
    const [record] = await db().select().from(emailMessages).where(eq(emailMessages.id, queued.id));
    expect(record).toMatchObject({
      transport: "smtp",
      sentAt: now,
      error: null,
      toAddress: "buyer@outbox.test",
      kind: "test",
    });
  });

  if (driver === "postgres") {
    it("a hand-over right after commit is two transactions: the claim (with the circuits' state), then the outcome", async () => {
      useEnv({ SMTP_URL: servers.smtp.url });
      const queued = await enqueue(email());
      const sent = await messagesDuring(() => deliverOutboxNow([queued.id], { now: clock() }));
      expect(sent.filter((message) => /^begin\b/.test(message))).toHaveLength(2);
      expect(await rowOf(queued.id)).toMatchObject({ status: "delivered", attempts: 1 });
    });

    it("the outcome of handed-over events is one message: the role and the statement together, no transaction", async () => {
      const registered = eventSender();
      registerEventSender(async () => {});
      try {
        const queued = await enqueue({
          kind: "event",
          dedupeKey: `test:${randomUUID()}`,
          payload: { name: "test/delivered", id: `test-${randomUUID()}`, data: {} },
        });
        const sent = await messagesDuring(() => deliverOutboxNow([queued.id], { now: clock() }));
        const outcome = sent.filter((message) => message.includes("update outbox_events as o set"));
        expect(outcome).toHaveLength(1);
        expect(outcome[0]).toContain("set_config('role', 'beacon_system', true)");
        // Only the claim is a transaction of its own.
        expect(sent.filter((message) => /^begin\b/.test(message))).toHaveLength(1);
        expect(await rowOf(queued.id)).toMatchObject({ status: "delivered", attempts: 1, leaseUntil: null });
      } finally {
        registerEventSender(registered);
      }
    });
  }

  it("without SMTP_URL the record keeps the e-mail with its sign-in link hidden; only a development server logs the link", async () => {
    const send = (to: string) =>
      sendEmailNow({
        dedupeKey: `log:${randomUUID()}`,
        email: {
          kind: "verify_email",
          to,
          subject: "Local",
          text: "Open {{link}}",
          secrets: { link: "http://localhost:3000/verify-email?token=abcdefghij0123456789" },
        },
      });
    const logs = captureLogs();
    try {
      const queued = await send("test-env@outbox.test");
      useEnv({ NODE_ENV: "development" });
      await send("dev-env@outbox.test");
      expect(servers.smtp.received).toHaveLength(0);
      expect(await rowOf(queued.id)).toMatchObject({ status: "delivered" });
      const [record] = await db().select().from(emailMessages).where(eq(emailMessages.id, queued.id));
      expect(record).toMatchObject({ transport: "log", sensitive: true, textBody: `Open ${HIDDEN_LINK}` });
      expect(record!.sentAt).toBeInstanceOf(Date);
      const lines = logs.lines.filter((line) => line.includes("not sent, no SMTP_URL"));
      expect(lines).toHaveLength(2);
      expect(lines[0]).toContain(HIDDEN_LINK);
      expect(lines[0]).not.toContain("abcdefghij0123456789");
      expect(lines[1]).toContain("verify-email?token=abcdefghij0123456789");
    } finally {
      logs.restore();
    }
  });

  it("a repeated dedupe key is a no-op answering the existing row; keys are per org, NULL org is one namespace", async () => {
    const [orgA] = await db().insert(organizations).values({ name: "A" }).returning();
    const [orgB] = await db().insert(organizations).values({ name: "B" }).returning();
    const input = email("dedupe@outbox.test");
    const first = await enqueue(input);
    const again = await enqueue({ ...input, payload: { ...input.payload, subject: "Different" } as never });
    expect(first.created).toBe(true);
    expect(again).toEqual({ id: first.id, created: false, status: "pending" });
    const inA = await withTenant(orgA!.id, (tx) => enqueueOutbox(tx, { ...input, orgId: orgA!.id }));
    const inAagain = await withTenant(orgA!.id, (tx) => enqueueOutbox(tx, { ...input, orgId: orgA!.id }));
    const inB = await withTenant(orgB!.id, (tx) => enqueueOutbox(tx, { ...input, orgId: orgB!.id }));
    expect(new Set([first.id, inA.id, inB.id]).size).toBe(3);
    expect(inAagain).toMatchObject({ id: inA.id, created: false });
    const rows = await db().select().from(outboxEvents).where(eq(outboxEvents.dedupeKey, input.dedupeKey));
    expect(rows).toHaveLength(3);
    expect(
      await db().select().from(emailMessages).where(eq(emailMessages.toAddress, "dedupe@outbox.test")),
    ).toHaveLength(3);
  });

  it("a rolled-back transaction leaves neither the row nor its e-mail", async () => {
    const input = email();
    await expect(
      db().transaction(async (tx) => {
        await enqueueOutbox(tx, input);
        throw new Error("the causing change failed");
      }),
    ).rejects.toThrow("the causing change failed");
    expect(await db().select().from(outboxEvents).where(eq(outboxEvents.dedupeKey, input.dedupeKey))).toHaveLength(0);
  });

  it("refuses a malformed payload", async () => {
    const error = await appErrorOf(
      enqueue({
        kind: "email",
        dedupeKey: "bad",
        payload: { kind: "test", to: "not an address", subject: "x", text: "y" },
      }),
    );
    expect(error.code).toBe("validation_failed");
    const webhook = await appErrorOf(
      enqueue({ kind: "webhook", dedupeKey: "bad", payload: { url: "ftp://example.com/x", body: {} } }),
    );
    expect(webhook.code).toBe("validation_failed");
  });

  it("SMTP down: retries with growing waits, then delivers once when it is back", async () => {
    useEnv({ SMTP_URL: `smtp://127.0.0.1:${await closedPort()}`, OUTBOX_MAX_ATTEMPTS: "10" });
    const queued = await enqueue(email("patient@outbox.test"));
    let now = clock();
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      const summary = await deliverDueOutbox({ now, random: takeCeiling });
      expect(summary).toMatchObject({ claimed: 1, retrying: 1, delivered: 0 });
      const row = await rowOf(queued.id);
      expect(row).toMatchObject({ status: "pending", attempts: attempt, leaseUntil: null });
      expect(row.lastError).toMatch(/ECONNREFUSED|connect/i);
      waits.push(row.nextAttemptAt.getTime() - now.getTime());
      // Not due before its time.
      expect(await deliverDueOutbox({ now: new Date(row.nextAttemptAt.getTime() - 1) })).toMatchObject({ claimed: 0 });
      now = row.nextAttemptAt;
    }
    expect(waits).toEqual([1, 2, 4, 8].map((k) => k * OUTBOX_BACKOFF_BASE_MS - 1));
    const [record] = await db().select().from(emailMessages).where(eq(emailMessages.id, queued.id));
    expect(record!.error).toMatch(/ECONNREFUSED|connect/i);

    useEnv({ SMTP_URL: servers.smtp.url, OUTBOX_MAX_ATTEMPTS: "10" });
    expect(await deliverDueOutbox({ now })).toMatchObject({ claimed: 1, delivered: 1 });
    expect(await deliverDueOutbox({ now: new Date(now.getTime() + 24 * 60 * MINUTE) })).toMatchObject({ claimed: 0 });
    expect(servers.smtp.countsById().get(queued.id)).toBe(1);
    expect(servers.smtp.received).toHaveLength(1);
    expect(await rowOf(queued.id)).toMatchObject({ status: "delivered", attempts: 5, lastError: null });
    const [sent] = await db().select().from(emailMessages).where(eq(emailMessages.id, queued.id));
    expect(sent).toMatchObject({ error: null, sentAt: now });
  });

  it("after OUTBOX_MAX_ATTEMPTS the row is dead, and the sweep leaves it alone", async () => {
    useEnv({ SMTP_URL: `smtp://127.0.0.1:${await closedPort()}`, OUTBOX_MAX_ATTEMPTS: "3" });
    const queued = await enqueue(email());
    let now = clock();
    for (let attempt = 1; attempt <= 3; attempt++) {
      await deliverDueOutbox({ now, random: takeCeiling });
      now = new Date(now.getTime() + OUTBOX_BACKOFF_CAP_MS);
    }
    const row = await rowOf(queued.id);
    expect(row).toMatchObject({ status: "dead", attempts: 3, leaseUntil: null });
    expect(row.deadAt).toBeInstanceOf(Date);
    expect(row.lastError).toMatch(/ECONNREFUSED|connect/i);
    expect(await deliverDueOutbox({ now: new Date(now.getTime() + 7 * 24 * 60 * MINUTE) })).toMatchObject({
      claimed: 0,
    });
  });

  it("webhooks: a signed POST, retried through failures, delivered exactly once", async () => {
    const secret = "whsec_outbox_test_0123456789abcdef";
    useEnv({ OUTBOX_WEBHOOK_SECRET: secret });
    servers.hooks.failNext(2);
    const body = { text: "Outbox backlog above 100", severity: "warning" };
    const queued = await enqueue({
      kind: "webhook",
      dedupeKey: `hook:${randomUUID()}`,
      payload: { url: servers.hooks.url("/ops"), body, headers: { "x-team": "ops" } },
    });
    let now = clock();
    for (let i = 0; i < 2; i++) {
      expect(await deliverDueOutbox({ now, random: takeCeiling })).toMatchObject({ retrying: 1 });
      const row = await rowOf(queued.id);
      expect(row.lastError).toBe("webhook answered HTTP 500");
      now = row.nextAttemptAt;
    }
    expect(await deliverDueOutbox({ now })).toMatchObject({ delivered: 1 });
    expect(await deliverDueOutbox({ now: new Date(now.getTime() + 24 * 60 * MINUTE) })).toMatchObject({ claimed: 0 });
    expect(servers.hooks.requests.map((r) => r.status)).toEqual([500, 500, 200]);
    const last = servers.hooks.requests.at(-1)!;
    expect(last.path).toBe("/ops");
    expect(JSON.parse(last.body)).toEqual(body);
    expect(last.headers["content-type"]).toBe("application/json");
    expect(last.headers["x-team"]).toBe("ops");
    expect(last.headers["beacon-event-id"]).toBe(queued.id);
    const signature = last.headers[WEBHOOK_SIGNATURE_HEADER.toLowerCase()] as string;
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(secret, last.body, signature, now)).toBe(true);
    expect(verifyWebhookSignature("another-secret", last.body, signature, now)).toBe(false);
    expect(verifyWebhookSignature(secret, `${last.body} `, signature, now)).toBe(false);
    expect(verifyWebhookSignature(secret, last.body, signature, new Date(now.getTime() + 10 * MINUTE))).toBe(false);
    expect(await rowOf(queued.id)).toMatchObject({ status: "delivered", attempts: 3 });
  });

  it("webhooks go unsigned without OUTBOX_WEBHOOK_SECRET; a failing URL's secret token never reaches last_error", async () => {
    const hook = await enqueue({
      kind: "webhook",
      dedupeKey: `hook:${randomUUID()}`,
      payload: { url: servers.hooks.url(), body: { ok: true } },
    });
    await deliverOutboxNow([hook.id], { now: clock() });
    expect(servers.hooks.requests).toHaveLength(1);
    expect(servers.hooks.requests[0]!.headers[WEBHOOK_SIGNATURE_HEADER.toLowerCase()]).toBeUndefined();

    const token = "T0KEN-b3acon-s3cret-path";
    const dead = await enqueue({
      kind: "webhook",
      dedupeKey: `hook:${randomUUID()}`,
      payload: { url: `http://127.0.0.1:${await closedPort()}/services/${token}`, body: {} },
    });
    await deliverOutboxNow([dead.id], { now: clock() });
    const row = await rowOf(dead.id);
    expect(row.status).toBe("pending");
    expect(row.lastError).toBeTruthy();
    expect(row.lastError).not.toContain(token);
  });

  it("rows claimed in the transaction that wrote them commit claimed; the hand-over after it is the send and one outcome", async () => {
    const calls: string[][] = [];
    const registered = eventSender();
    registerEventSender(async (events) => void calls.push(events.map((e) => String(e.id))));
    try {
      const event = (): EventPayload & { id: string } => ({
        name: "test/delivered",
        id: `test-${randomUUID()}`,
        data: {},
      });
      const written = [event(), event()];
      const claim = await withSystem("outbox", async (tx) => {
        const rows = await enqueueEvents(tx, written);
        return claimOutboxIn(
          tx,
          rows.map((row) => row.id),
        );
      });
      expect(claim.claimed.rows).toHaveLength(2);
      for (const id of claim.ids) expect(await rowOf(id)).toMatchObject({ status: "sending", attempts: 1 });

      const sent = await messagesDuring(() => deliverOutboxClaim(claim));
      expect(calls).toEqual([written.map((e) => e.id)]);
      for (const id of claim.ids) expect(await rowOf(id)).toMatchObject({ status: "delivered", attempts: 1 });
      if (driver === "postgres") {
        expect(sent.filter((message) => /^begin\b/.test(message))).toHaveLength(0);
        expect(sent).toHaveLength(1);
      }

      // Rolled back with its transaction: nothing written, nothing claimed.
      const rolledBack = event();
      await expect(
        withSystem("outbox", async (tx) => {
          await claimOutboxIn(
            tx,
            (await enqueueEvents(tx, [rolledBack])).map((row) => row.id),
          );
          throw new Error("the writer's change failed");
        }),
      ).rejects.toThrow("the writer's change failed");
      const [kept] = await db()
        .select()
        .from(outboxEvents)
        .where(eq(outboxEvents.dedupeKey, `event:${rolledBack.name}:${rolledBack.id}`));
      expect(kept).toBeUndefined();

      // Claimed, then the process stopped before sending: the sweep takes the rows over once the lease is out.
      const stranded = await withSystem("outbox", async (tx) =>
        claimOutboxIn(
          tx,
          (await enqueueEvents(tx, [event()])).map((row) => row.id),
        ),
      );
      expect(await deliverDueOutbox({ now: clock() })).toMatchObject({ claimed: 0 });
      expect(await deliverDueOutbox({ now: new Date(Date.now() + OUTBOX_LEASE_MS + SECOND) })).toMatchObject({
        claimed: 1,
        delivered: 1,
      });
      expect(await rowOf(stranded.ids[0]!)).toMatchObject({ status: "delivered", attempts: 2 });
    } finally {
      registerEventSender(registered);
    }
  });

  it("events due together go to the event API in one call; a refused call retries each; an invalid payload fails alone", async () => {
    const calls: { id: string }[][] = [];
    let refuse = false;
    const registered = eventSender();
    registerEventSender(async (events) => {
      calls.push(events);
      if (refuse) throw new Error("event API unavailable");
    });
    try {
      const event = (n: number): EnqueueOutboxInput => ({
        kind: "event",
        dedupeKey: `test:${randomUUID()}`,
        payload: { name: "test/delivered", id: `test-${randomUUID()}`, data: { n } },
      });
      const inputs = [1, 2, 3, 4].map(event);
      const rows = await Promise.all(inputs.map((input) => enqueue(input)));
      // Stored before this check existed, say: the payload no longer parses.
      await db()
        .update(outboxEvents)
        .set({ payload: { name: "Not an event" } })
        .where(eq(outboxEvents.id, rows[3]!.id));

      const summary = await deliverOutboxNow(
        rows.map((row) => row.id),
        { now: clock() },
      );
      expect(calls).toHaveLength(1);
      expect(calls[0]!.map((e) => e.id).sort()).toEqual(
        inputs
          .slice(0, 3)
          .map((input) => (input.payload as { id: string }).id)
          .sort(),
      );
      expect(summary).toMatchObject({ claimed: 4, delivered: 3, dead: 1 });
      for (const row of rows.slice(0, 3)) expect(await rowOf(row.id)).toMatchObject({ status: "delivered" });
      expect(await rowOf(rows[3]!.id)).toMatchObject({ status: "dead", lastError: expect.stringContaining("invalid") });

      refuse = true;
      const refused = await Promise.all([5, 6].map((n) => enqueue(event(n))));
      await deliverOutboxNow(
        refused.map((row) => row.id),
        { now: clock() },
      );
      expect(calls).toHaveLength(2);
      for (const row of refused)
        expect(await rowOf(row.id)).toMatchObject({
          status: "pending",
          attempts: 1,
          lastError: expect.stringContaining("event API unavailable"),
        });
      // One refused request: one failure toward the event API's circuit, however many events it carried.
      const [circuit] = await db().select().from(outboxCircuits).where(eq(outboxCircuits.destination, "inngest"));
      expect(circuit).toMatchObject({ consecutiveFailures: 1, state: "closed" });
    } finally {
      registerEventSender(registered);
    }
  });

  it("a delivery that crashed holding its lease is taken over once the lease expires", async () => {
    useEnv({ SMTP_URL: servers.smtp.url });
    const queued = await enqueue(email("orphan@outbox.test"));
    const crashedAt = clock();
    // A deliverer claimed the row, then its process vanished before sending.
    await db()
      .update(outboxEvents)
      .set({ status: "sending", attempts: 1, leaseUntil: new Date(crashedAt.getTime() + OUTBOX_LEASE_MS) })
      .where(eq(outboxEvents.id, queued.id));
    expect(await deliverDueOutbox({ now: new Date(crashedAt.getTime() + OUTBOX_LEASE_MS - 1) })).toMatchObject({
      claimed: 0,
    });
    expect(await deliverOutboxNow([queued.id], { now: crashedAt })).toMatchObject({ claimed: 0 });
    const later = new Date(crashedAt.getTime() + OUTBOX_LEASE_MS);
    expect(await deliverDueOutbox({ now: later, workerId: "survivor" })).toMatchObject({ claimed: 1, delivered: 1 });
    expect(servers.smtp.countsById().get(queued.id)).toBe(1);
    expect(await rowOf(queued.id)).toMatchObject({ status: "delivered", attempts: 2, deliveredAt: later });
  });

  it("a deliverer whose lease ran out mid-send cannot overwrite the row its successor took over", async () => {
    const queued = await enqueue({
      kind: "webhook",
      dedupeKey: `hook:${randomUUID()}`,
      payload: { url: servers.hooks.url("/slow"), body: { n: 1 } },
    });
    const start = clock();
    servers.hooks.hold();
    const slow = deliverOutboxNow([queued.id], { now: start, workerId: "slow" });
    while (servers.hooks.heldCount() < 1) await new Promise((resolve) => setTimeout(resolve, 10));
    const takeoverAt = new Date(start.getTime() + OUTBOX_LEASE_MS);
    const takeover = deliverDueOutbox({ now: takeoverAt, workerId: "successor" });
    while (servers.hooks.heldCount() < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    servers.hooks.release();
    const [late, fresh] = await Promise.all([slow, takeover]);
    // At-least-once: the receiver saw both (it can drop the repeat by Beacon-Event-Id)…
    expect(servers.hooks.requests.map((r) => r.headers["beacon-event-id"])).toEqual([queued.id, queued.id]);
    // …but only the lease holder's outcome is written.
    expect(late.results).toEqual([{ id: queued.id, status: "sending", attempts: 1, error: null }]);
    expect(fresh).toMatchObject({ claimed: 1, delivered: 1 });
    expect(await rowOf(queued.id)).toMatchObject({ status: "delivered", attempts: 2, deliveredAt: takeoverAt });
  });

  it("two deliverers at once over 200 rows never send any row twice", async () => {
    useEnv({ SMTP_URL: servers.smtp.url });
    const inputs = Array.from({ length: 200 }, (_, i) => email(`many-${i}@outbox.test`));
    const ids = await db().transaction(async (tx) => {
      const out: string[] = [];
      for (const input of inputs) out.push((await enqueueOutbox(tx, input)).id);
      return out;
    });
    const now = clock();
    const drain = async (workerId: string) => {
      let delivered = 0;
      for (;;) {
        const summary = await deliverDueOutbox({ now, limit: 15, workerId });
        if (summary.claimed === 0) return delivered;
        delivered += summary.delivered;
      }
    };
    const [a, b] = await Promise.all([drain("a"), drain("b")]);
    expect(a + b).toBe(200);
    const counts = servers.smtp.countsById();
    expect(ids.map((id) => counts.get(id) ?? 0)).toEqual(ids.map(() => 1));
    expect(servers.smtp.received).toHaveLength(200);
    const rows = await db()
      .select({ status: outboxEvents.status, attempts: outboxEvents.attempts })
      .from(outboxEvents)
      .where(inArray(outboxEvents.id, ids));
    expect(rows).toHaveLength(200);
    expect(rows.every((r) => r.status === "delivered" && r.attempts === 1)).toBe(true);
  });
});

it("backoff is full jitter under an exponential ceiling with a cap", () => {
  expect(outboxBackoffMs(1, () => 0)).toBe(OUTBOX_BACKOFF_MIN_MS);
  expect(outboxBackoffMs(1, () => 0.5)).toBe(OUTBOX_BACKOFF_BASE_MS / 2);
  expect(outboxBackoffMs(3, takeCeiling)).toBe(4 * OUTBOX_BACKOFF_BASE_MS - 1);
  expect(outboxBackoffMs(40, takeCeiling)).toBe(OUTBOX_BACKOFF_CAP_MS - 1);
  for (let attempts = 1; attempts < 20; attempts++) {
    const wait = outboxBackoffMs(attempts);
    expect(wait).toBeGreaterThanOrEqual(OUTBOX_BACKOFF_MIN_MS);
    expect(wait).toBeLessThanOrEqual(Math.min(OUTBOX_BACKOFF_CAP_MS, OUTBOX_BACKOFF_BASE_MS * 2 ** (attempts - 1)));
  }
});
