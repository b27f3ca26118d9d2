import { randomUUID } from "node:crypto";
import { and, eq, notInArray } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { db } from "@/db/client";
import { auditLog, organizations, outboxEvents } from "@/db/schema";
import { appErrorOf } from "@/tests/app-error";
import { describeEachDatabase } from "@/tests/db";
import { perTestEnv } from "@/tests/env";
import {
  deliverDueOutbox,
  discardOutbox,
  enqueueOutbox,
  getOutboxEvent,
  listOutbox,
  outboxCounts,
  replayOutbox,
} from "./index";
import { operatorContextOf } from "@/tests/support/factories";
import { closedPort, startSmtpSink } from "@/tests/support/servers";

const MINUTE = 60_000;
const operator = { userId: randomUUID(), email: "ops@beacon.test" };

let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
beforeAll(async () => {
  smtp = await startSmtpSink();
});
afterAll(async () => {
  await smtp.close();
});
afterEach(() => {
  smtp.received.length = 0;
});
const setEnv = perTestEnv();

function smtpAt(url: string) {
  // Dead letters made by an outage: the circuit breaker (which would hold them back; its own
  // tests cover that) stays out of the way.
  setEnv({ SMTP_URL: url, OUTBOX_MAX_ATTEMPTS: "1", OUTBOX_CIRCUIT_FAILURES: "100000" });
}

describeEachDatabase("outbox dead letters", () => {
  /** Enqueues e-mails with SMTP down and one attempt allowed: each ends dead. */
  async function deadEmails(count: number, options: { orgId?: string; subject?: string } = {}) {
    smtpAt(`smtp://127.0.0.1:${await closedPort()}`);
    const ids = await db().transaction(async (tx) => {
      const out: string[] = [];
      for (let i = 0; i < count; i++) {
        const queued = await enqueueOutbox(tx, {
          kind: "email",
          orgId: options.orgId ?? null,
          dedupeKey: `dead:${randomUUID()}`,
          payload: { kind: "test", to: `dead-${i}@outbox.test`, subject: options.subject ?? "Unlucky", text: "body" },
        });
        out.push(queued.id);
      }
      return out;
    });
    // Whatever else is pending was left by earlier tests; only these rows should meet the sweep.
    await db()
      .update(outboxEvents)
      .set({ status: "discarded" })
      .where(and(eq(outboxEvents.status, "pending"), notInArray(outboxEvents.id, ids)));
    const summary = await deliverDueOutbox({ now: new Date(Date.now() + 1_000), limit: 1_000 });
    expect(summary.dead).toBe(count);
    return ids;
  }
  const auditFor = (id: string) =>
    db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetType, "outbox_event"), eq(auditLog.targetId, id)));

  it("replay puts dead rows back in line, audited; the next delivery sends each once", async () => {
    const [one, two] = await deadEmails(2);
    const now = new Date(Date.now() + 2_000);
    expect(
      await replayOutbox(
        operatorContextOf(operator, { now }),
        { ids: [one!, one!, "not-a-uuid"] },
        { reason: "SMTP fixed" },
      ),
    ).toBe(1);
    expect(await getOutboxEvent(operatorContextOf(), one!)).toMatchObject({
      status: "pending",
      attempts: 0,
      nextAttemptAt: now,
      deadAt: null,
    });
    expect(await getOutboxEvent(operatorContextOf(), two!)).toMatchObject({ status: "dead" });
    const [entry] = await auditFor(one!);
    expect(entry).toMatchObject({
      action: "outbox.replay",
      actorType: "operator",
      actorId: operator.userId,
      reason: "SMTP fixed",
      before: { status: "dead", lastError: expect.stringMatching(/ECONNREFUSED|connect/i) },
      after: { status: "pending", attempts: 0 },
    });
    // Replaying what is no longer dead changes nothing and audits nothing.
    expect(await replayOutbox(operatorContextOf(operator, { now }), { ids: [one!] })).toBe(0);
    expect(await auditFor(one!)).toHaveLength(1);

    smtpAt(smtp.url);
    expect(await deliverDueOutbox({ now })).toMatchObject({ claimed: 1, delivered: 1 });
    expect(smtp.countsById().get(one!)).toBe(1);
    expect(smtp.received).toHaveLength(1);
    expect(await getOutboxEvent(operatorContextOf(), one!)).toMatchObject({ status: "delivered", attempts: 1 });
  });

  it("bulk replay by filter moves only matching dead rows and audits each", async () => {
    const [org] = await db().insert(organizations).values({ name: "Bulk" }).returning();
    const marker = `bulk-${randomUUID()}`;
    const matching = await deadEmails(3, { orgId: org!.id, subject: marker });
    const other = await deadEmails(1, { subject: marker });
    const count = await replayOutbox(operatorContextOf(operator), {
      filter: { orgId: org!.id, search: marker, kind: "email" },
    });
    expect(count).toBe(3);
    for (const id of matching) {
      expect((await getOutboxEvent(operatorContextOf(), id)).status).toBe("pending");
      expect(await auditFor(id)).toMatchObject([{ action: "outbox.replay", orgId: org!.id }]);
    }
    expect((await getOutboxEvent(operatorContextOf(), other[0]!)).status).toBe("dead");
    expect(await auditFor(other[0]!)).toHaveLength(0);
  });

  it("discard gives up on a dead row for good, audited; delivered rows cannot be discarded", async () => {
    const [id] = await deadEmails(1);
    const discarded = await discardOutbox(operatorContextOf(operator), id!, { reason: "customer left" });
    expect(discarded.status).toBe("discarded");
    expect(await auditFor(id!)).toMatchObject([
      { action: "outbox.discard", before: { status: "dead" }, after: { status: "discarded" }, reason: "customer left" },
    ]);
    expect(await replayOutbox(operatorContextOf(operator), { ids: [id!] })).toBe(0);
    expect(await deliverDueOutbox({ now: new Date(Date.now() + 60 * MINUTE) })).toMatchObject({ claimed: 0 });

    smtpAt(smtp.url);
    const delivered = await db().transaction((tx) =>
      enqueueOutbox(tx, {
        kind: "email",
        dedupeKey: `ok:${randomUUID()}`,
        payload: { kind: "test", to: "ok@outbox.test", subject: "s", text: "t" },
      }),
    );
    await deliverDueOutbox({ now: new Date(Date.now() + 1_000) });
    expect((await appErrorOf(discardOutbox(operatorContextOf(operator), delivered.id))).code).toBe("conflict");
    expect((await appErrorOf(discardOutbox(operatorContextOf(operator), randomUUID()))).code).toBe("not_found");
    expect((await appErrorOf(discardOutbox(operatorContextOf(operator), "nope"))).code).toBe("not_found");
    expect(await auditFor(delivered.id)).toHaveLength(0);
  });

  it("lists newest first with filters, text search over payload and error, and a keyset cursor", async () => {
    const marker = `list-${randomUUID()}`;
    const ids = await deadEmails(5, { subject: marker });
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 5; page++) {
      const result = await listOutbox(operatorContextOf(), { search: marker, status: "dead", limit: 2, cursor });
      seen.push(...result.items.map((r) => r.id));
      if (!result.nextCursor) break;
      cursor = result.nextCursor;
    }
    expect(seen.sort()).toEqual([...ids].sort());
    expect(new Set(seen).size).toBe(5);
    expect((await listOutbox(operatorContextOf(), { search: marker, status: "pending" })).items).toHaveLength(0);
    expect((await listOutbox(operatorContextOf(), { search: marker, kind: "webhook" })).items).toHaveLength(0);
    expect(
      (await listOutbox(operatorContextOf(), { search: "ECONNREFUSED", status: "dead", limit: 200 })).items.length,
    ).toBeGreaterThanOrEqual(5);
    expect(
      (await listOutbox(operatorContextOf(), { search: marker, createdFrom: new Date(Date.now() + 60 * MINUTE) }))
        .items,
    ).toHaveLength(0);
    expect(
      (await listOutbox(operatorContextOf(), { search: marker, createdTo: new Date(Date.now() + 60 * MINUTE) })).items,
    ).toHaveLength(5);
    // A search string with LIKE wildcards matches literally.
    expect((await listOutbox(operatorContextOf(), { search: "%" })).items).toHaveLength(0);
    expect((await appErrorOf(listOutbox(operatorContextOf(), { cursor: "garbage" }))).code).toBe("validation_failed");
    const counts = await outboxCounts(operatorContextOf());
    expect(counts.dead).toBeGreaterThanOrEqual(5);
  });
});
