import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { db } from "@/db/client";
import {
  auditLog,
  emailMessages,
  idempotencyKeys,
  apiKeys,
  jobEvents,
  jobRuns,
  noticeVersions,
  organizations,
  outboxEvents,
  stripeEvents,
  usageEvents,
} from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { env } from "@/lib/env";
import { changesOfNotice, upsertOpportunities } from "@/lib/opportunities";
import { fromApi, runway, runwayAmended, runwayAward, runwaySolicitation } from "@/tests/fixtures/amended-notices";
import { describeEachDatabase } from "@/tests/db";
import { runRetention } from "./cleanup";

const NOW = new Date("2026-06-15T12:00:00Z");
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000);

describeEachDatabase("retention", () => {
  it("deletes exactly what is older than each RETENTION_*_DAYS, in bounded batches, and keeps what operators still need", async () => {
    const config = env();
    const [org] = await db().insert(organizations).values({ name: "Retention Co" }).returning({ id: organizations.id });
    const orgId = org!.id;
    const [key] = await db()
      .insert(apiKeys)
      .values({ orgId, name: "k", prefix: "bk_test_x", keyHash: `h-${Math.random()}` })
      .returning({ id: apiKeys.id });

    const oldJob = config.RETENTION_JOB_EVENTS_DAYS + 1;
    const [oldRun] = await db()
      .insert(jobRuns)
      .values({ functionId: "f", runId: `old-${Math.random()}`, status: "succeeded", createdAt: daysAgo(oldJob) })
      .returning({ id: jobRuns.id });
    const [runningOld] = await db()
      .insert(jobRuns)
      .values({ functionId: "f", runId: `stuck-${Math.random()}`, status: "running", createdAt: daysAgo(oldJob) })
      .returning({ id: jobRuns.id });
    const [newRun] = await db()
      .insert(jobRuns)
      .values({ functionId: "f", runId: `new-${Math.random()}`, status: "succeeded", createdAt: daysAgo(1) })
      .returning({ id: jobRuns.id });
    for (let i = 0; i < 5; i++)
      await db()
        .insert(jobEvents)
        .values({ jobRunId: newRun!.id, kind: "step.finished", at: daysAgo(oldJob) });
    await db()
      .insert(jobEvents)
      .values({ jobRunId: newRun!.id, kind: "step.finished", at: daysAgo(1) });
    await db()
      .insert(jobEvents)
      .values({ jobRunId: oldRun!.id, kind: "run.finished", at: daysAgo(1) });

    for (let i = 0; i < 3; i++) {
      await db()
        .insert(usageEvents)
        .values({
          orgId,
          apiKeyId: key!.id,
          endpoint: "/x",
          requestId: `r${i}`,
          quotaBefore: 1,
          quotaAfter: 0,
          createdAt: daysAgo(config.RETENTION_USAGE_EVENTS_DAYS + 1),
        });
    }
    await db()
      .insert(usageEvents)
      .values({
        orgId,
        apiKeyId: key!.id,
        endpoint: "/x",
        requestId: "recent",
        quotaBefore: 1,
        quotaAfter: 0,
        createdAt: daysAgo(1),
      });

    const oldStripe = daysAgo(Math.max(config.RETENTION_WEBHOOK_EVENTS_DAYS, 31) + 1);
    await db()
      .insert(stripeEvents)
      .values([
        { id: "evt_old_done", type: "invoice.paid", created: oldStripe, status: "processed", receivedAt: oldStripe },
        { id: "evt_old_failed", type: "invoice.paid", created: oldStripe, status: "failed", receivedAt: oldStripe },
        { id: "evt_new_done", type: "invoice.paid", created: daysAgo(1), status: "processed", receivedAt: daysAgo(1) },
      ]);

    const oldOutbox = daysAgo(config.RETENTION_OUTBOX_DAYS + 1);
    await db()
      .insert(outboxEvents)
      .values([
        { orgId, kind: "email", dedupeKey: "delivered-old", payload: {}, status: "delivered", updatedAt: oldOutbox },
        { orgId, kind: "email", dedupeKey: "dead-old", payload: {}, status: "dead", updatedAt: oldOutbox },
        { orgId, kind: "email", dedupeKey: "delivered-new", payload: {}, status: "delivered", updatedAt: daysAgo(1) },
      ]);
    await db()
      .insert(emailMessages)
      .values([
        {
          kind: "t",
          toAddress: "a@example.com",
          subject: "old",
          textBody: "x",
          transport: "log",
          createdAt: oldOutbox,
        },
        {
          kind: "t",
          toAddress: "a@example.com",
          subject: "new",
          textBody: "x",
          transport: "log",
          createdAt: daysAgo(1),
        },
      ]);
    await db()
      .insert(idempotencyKeys)
      .values([
        { orgId, apiKeyId: key!.id, key: "old", fingerprint: "f", createdAt: daysAgo(2) },
        { orgId, apiKeyId: key!.id, key: "new", fingerprint: "f", createdAt: new Date(NOW.getTime() - 60_000) },
      ]);
    await recordAudit(db(), { actor: { type: "system" }, action: "test.ancient", at: daysAgo(5000) });

    // Bounded: one batch of 2 per table, then stop and say so.
    const partial = await runRetention({ now: NOW, batchSize: 2, maxBatches: 1 });
    expect(partial.complete).toBe(false);
    expect(partial.deleted.job_events).toBe(2);

    const full = await runRetention({ now: NOW, batchSize: 2 });
    expect(full.complete).toBe(true);
    expect(full.deleted.job_events).toBe(3);

    expect(await db().select({ id: jobEvents.id }).from(jobEvents)).toHaveLength(1 /* new on new run */);
    const runs = (await db().select({ id: jobRuns.id }).from(jobRuns)).map((r) => r.id).sort();
    expect(runs).toEqual([runningOld!.id, newRun!.id].sort());
    expect((await db().select({ r: usageEvents.requestId }).from(usageEvents)).map((r) => r.r)).toEqual(["recent"]);
    expect((await db().select({ id: stripeEvents.id }).from(stripeEvents)).map((r) => r.id).sort()).toEqual([
      "evt_new_done",
      "evt_old_failed",
    ]);
    expect((await db().select({ k: outboxEvents.dedupeKey }).from(outboxEvents)).map((r) => r.k).sort()).toEqual([
      "dead-old",
      "delivered-new",
    ]);
    expect((await db().select({ s: emailMessages.subject }).from(emailMessages)).map((r) => r.s)).toEqual(["new"]);
    expect((await db().select({ k: idempotencyKeys.key }).from(idempotencyKeys)).map((r) => r.k)).toEqual(["new"]);
    expect(await db().select().from(auditLog).where(eq(auditLog.action, "test.ancient"))).toHaveLength(1);

    const again = await runRetention({ now: NOW });
    expect(Object.values(again.deleted).every((n) => n === 0)).toBe(true);
  });
  it("forgets notices' earlier versions and recorded changes after RETENTION_NOTICE_HISTORY_DAYS, keeping the newer history", async () => {
    const config = env();
    const days = config.RETENTION_NOTICE_HISTORY_DAYS;
    expect(days).toBe(730);
    // Through the real ingestion path: stored, amended in place (a version and a change), then awarded (a change).
    await upsertOpportunities([fromApi(runway)], daysAgo(days + 5));
    await upsertOpportunities([fromApi(runwayAmended)], daysAgo(days + 1));
    await upsertOpportunities([fromApi(runwayAward)], daysAgo(days - 1));
    const noticeId = runway.noticeId as string;
    const history = async () => (await changesOfNotice(noticeId, runwaySolicitation)).map((c) => c.summary[0]);
    expect(await history()).toEqual([
      "Notice type changed from Solicitation to Award Notice",
      "Response deadline moved from Feb 3, 2025 to Feb 17, 2025",
    ]);
    expect(await db().select({ id: noticeVersions.id }).from(noticeVersions)).toHaveLength(1);

    const result = await runRetention({ now: NOW });
    expect(result.deleted).toMatchObject({ notice_changes: 1, notice_versions: 1 });
    expect(await history()).toEqual(["Notice type changed from Solicitation to Award Notice"]);
    expect(await db().select({ id: noticeVersions.id }).from(noticeVersions)).toHaveLength(0);

    // A shorter setting reaches the newer change too; the notices themselves always stay.
    const shorter = await runRetention({ now: NOW, config: { ...config, RETENTION_NOTICE_HISTORY_DAYS: days - 2 } });
    expect(shorter.deleted).toMatchObject({ notice_changes: 1, notice_versions: 0 });
    expect(await history()).toEqual([]);
    expect(await changesOfNotice(noticeId, null)).toEqual([]);
  });
});
