// Each registered function runs through the real SDK execution engine (@inngest/test) against a
// real database; what is checked is what the run-tracking middleware recorded.
import { randomUUID } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { db } from "@/db/client";
import { jobEvents, jobHeartbeats, jobRuns, organizations, outboxEvents, usageQuotas } from "@/db/schema";
import { operatorContextOf } from "@/tests/support/factories";
import { setFlag } from "@/lib/flags";
import { fakeInngestForFile } from "@/tests/support/inngest";
import { heartbeatHealth, recordHeartbeat, registerSchedules, runFunctionLocally } from "@/lib/jobs";
import { executeRequest } from "@/tests/support/inngest-engine";
import { recordedApiRecords, startFakeSamServer, type FakeSamServer } from "@/tests/fakes/sam-server";
import { describeEachDatabase } from "@/tests/db";
import { perTestEnv } from "@/tests/env";
import { alertDigests } from "./alert-digests";
import { heartbeat } from "./heartbeat";
import { describeFunctions, FUNCTIONS, scheduledFunctions } from "./index";
import { readEnv } from "@/lib/env";
import { ingestionCron, ingestOpportunities } from "./ingest-opportunities";
import { dunningSweep } from "./dunning-sweep";
import { instantAlerts } from "./instant-alerts";
import { opsAlerts } from "./ops-alerts";
import { outboxDelivery } from "./outbox-delivery";
import { quotaReset } from "./quota-reset";
import { retention } from "./retention";
import { stripeReconcile } from "./stripe-reconcile";

const SAM_KEY = "jobs-test-sam-key-51c2";
let sam: FakeSamServer;
const inngestApi = fakeInngestForFile();

beforeAll(async () => {
  sam = await startFakeSamServer({ apiKey: SAM_KEY, records: recordedApiRecords().slice(0, 5) });
});
afterAll(async () => {
  await sam.close();
});
const setEnv = perTestEnv();

const cronEvent = (cron: string) => ({ name: "inngest/scheduled.timer", data: { cron }, id: `cron-${randomUUID()}` });

async function recorded(runId: string) {
  const [run] = await db().select().from(jobRuns).where(eq(jobRuns.runId, runId));
  if (!run) throw new Error(`no job_runs row for ${runId}`);
  const events = await db()
    .select()
    .from(jobEvents)
    .where(eq(jobEvents.jobRunId, run.id))
    .orderBy(asc(jobEvents.at), asc(jobEvents.id));
  return { run, events: events.map((e) => ({ kind: e.kind, step: e.stepId, attempt: e.attempt, error: e.error })) };
}

it("the registry describes every function once, with its trigger and schedule", () => {
  const described = describeFunctions();
  expect(new Set(described.map((f) => f.id)).size).toBe(FUNCTIONS.length);
  expect(described).toEqual(
    expect.arrayContaining([
      { id: "heartbeat", name: "Heartbeat", trigger: "cron * * * * *", cron: "* * * * *", events: [], scheduled: true },
      {
        id: "alert-digests",
        name: "Alert digests",
        trigger: "cron */15 * * * *",
        cron: "*/15 * * * *",
        events: [],
        scheduled: true,
      },
      {
        id: "instant-alerts",
        name: "Instant alerts",
        trigger: "cron */5 * * * * + event opportunities/ingested",
        cron: "*/5 * * * *",
        events: ["opportunities/ingested"],
        scheduled: true,
      },
      {
        id: "ingest-opportunities",
        name: "Opportunity ingestion",
        trigger: `cron ${ingestionCron()} + event opportunities/ingest.requested`,
        cron: ingestionCron(),
        events: ["opportunities/ingest.requested"],
        scheduled: true,
      },
    ]),
  );
  for (const fn of FUNCTIONS) expect((fn.opts as { retries?: number }).retries, fn.opts.id).toBe(3);
});

it("ingestion runs hourly against SAM.gov, every two minutes while it replays the bundled snapshot", () => {
  expect(ingestionCron(readEnv({ SAM_API_KEY: "sam-key" }))).toBe("0 * * * *");
  expect(ingestionCron(readEnv({}))).toBe("*/2 * * * *");
});

describeEachDatabase("scheduled functions' heartbeats", () => {
  it("every scheduled function registers at boot and records its heartbeat, the monthly one included", async () => {
    const scheduled = scheduledFunctions();
    expect(scheduled.find((f) => f.functionId === "quota-reset")!.expectedEveryMs).toBeGreaterThan(2 ** 31);
    await registerSchedules(scheduled);
    for (const f of scheduled)
      await recordHeartbeat({
        functionId: f.functionId,
        runId: `run-${randomUUID()}`,
        expectedEveryMs: f.expectedEveryMs,
      });
    const health = await heartbeatHealth();
    for (const f of scheduled)
      expect(
        health.find((h) => h.functionId === f.functionId),
        f.functionId,
      ).toMatchObject({ status: "ok", expectedEveryMs: f.expectedEveryMs });
  });
});

describeEachDatabase("background functions", () => {
  it("heartbeat: one succeeded cron run with its step, and the heartbeat upserted", async () => {
    const runId = `run-${randomUUID()}`;
    const { result, error } = await executeRequest(heartbeat, cronEvent("* * * * *"), { runId });
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ at: expect.any(String) });
    const { run, events } = await recorded(runId);
    expect(run).toMatchObject({
      functionId: "heartbeat",
      trigger: "cron",
      eventName: "inngest/scheduled.timer",
      status: "succeeded",
      attempt: 0,
      error: null,
    });
    expect(run.finishedAt!.getTime()).toBeGreaterThanOrEqual(run.startedAt!.getTime());
    expect(run.durationMs).toBeGreaterThanOrEqual(0);
    expect(run.output).toEqual(result);
    expect(events.map((e) => `${e.kind}:${e.step ?? ""}`)).toEqual([
      "run.started:",
      "step.started:beat",
      "step.finished:beat",
      "run.finished:",
    ]);
    const [beat] = await db().select().from(jobHeartbeats).where(eq(jobHeartbeats.functionId, "heartbeat"));
    expect(beat).toMatchObject({ lastRunId: runId, expectedEveryMs: 60_000 });

    const second = `run-${randomUUID()}`;
    await executeRequest(heartbeat, cronEvent("* * * * *"), { runId: second });
    const beats = await db().select().from(jobHeartbeats).where(eq(jobHeartbeats.functionId, "heartbeat"));
    expect(beats).toHaveLength(1);
    expect(beats[0]!.lastRunId).toBe(second);
    expect(beats[0]!.lastSuccessAt.getTime()).toBeGreaterThanOrEqual(beat!.lastSuccessAt.getTime());
  });

  it("alert digests: runs runDueDigests in a step and keeps its summary", async () => {
    const runId = `run-${randomUUID()}`;
    const { result, error } = await executeRequest(alertDigests, cronEvent("*/15 * * * *"), { runId });
    expect(error).toBeUndefined();
    expect(result).toEqual({ alerts: 0, digests: 0, emails: 0 });
    const { run, events } = await recorded(runId);
    expect(run).toMatchObject({
      functionId: "alert-digests",
      status: "succeeded",
      output: { alerts: 0, digests: 0, emails: 0 },
    });
    expect(events.filter((e) => e.step).map((e) => `${e.kind}:${e.step}`)).toEqual([
      "step.started:run-due-digests",
      "step.finished:run-due-digests",
    ]);
    const [beat] = await db().select().from(jobHeartbeats).where(eq(jobHeartbeats.functionId, "alert-digests"));
    expect(beat!.expectedEveryMs).toBe(15 * 60_000);
  });

  it("opportunity ingestion without SAM_API_KEY releases the next batch of the bundled snapshot and announces it", async () => {
    const before = inngestApi.events.length;
    const runId = `run-${randomUUID()}`;
    const { result, error } = await executeRequest(ingestOpportunities, cronEvent("0 * * * *"), { runId });
    expect(error).toBeUndefined();
    expect(result).toEqual({
      source: "sam_snapshot",
      inserted: 30,
      updated: 0,
      amended: 0,
      released: 30,
      remaining: 871,
    });
    const { run, events } = await recorded(runId);
    expect(run).toMatchObject({ functionId: "ingest-opportunities", status: "succeeded" });
    expect(events.filter((e) => e.kind === "step.finished").map((e) => e.step)).toEqual(["release-snapshot-batch"]);
    // Written to the outbox with the batch, and delivered from there right after it committed.
    const announced = inngestApi.events.slice(before);
    expect(announced).toEqual([
      expect.objectContaining({
        name: "opportunities/ingested",
        id: expect.stringMatching(/^opportunities-ingested-sam_snapshot-30-\d+$/),
        data: expect.objectContaining({ source: "sam_snapshot", inserted: 30, updated: 0 }),
      }),
    ]);
  });

  it("opportunity ingestion on request: ingests from SAM.gov, announces opportunities/ingested, and instant alerts pick it up", async () => {
    setEnv({ SAM_API_KEY: SAM_KEY, SAM_API_BASE_URL: sam.url });
    sam.reset();
    const orgId = randomUUID();
    const runId = `run-${randomUUID()}`;
    const sentBefore = inngestApi.events.length;
    const { result, error } = await executeRequest(
      ingestOpportunities,
      {
        name: "opportunities/ingest.requested",
        data: { org_id: orgId, requested_by: "test" },
        id: `req-${randomUUID()}`,
      },
      { runId },
    );
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ inserted: 5, updated: 0 });
    const { run, events } = await recorded(runId);
    expect(run).toMatchObject({
      trigger: "event",
      eventName: "opportunities/ingest.requested",
      orgId,
      status: "succeeded",
      eventPayload: { org_id: orgId, requested_by: "test" },
    });
    expect(events.filter((e) => e.kind === "step.finished").map((e) => e.step)).toEqual(["ingest-from-sam"]);
    const announced = inngestApi.events.slice(sentBefore);
    expect(announced).toHaveLength(1);
    expect(announced[0]).toMatchObject({
      id: expect.stringMatching(/^opportunities-ingested-sam_api-/),
      data: { source: "sam_api", inserted: 5, updated: 0 },
    });

    const instantRun = `run-${randomUUID()}`;
    const instant = await executeRequest(
      instantAlerts,
      { ...announced[0]!, id: announced[0]!.id! },
      { runId: instantRun },
    );
    expect(instant.error).toBeUndefined();
    expect(instant.result).toMatchObject({ alerts: 0, digests: 0, emails: 0 });
    const recordedInstant = await recorded(instantRun);
    expect(recordedInstant.run).toMatchObject({
      functionId: "instant-alerts",
      status: "succeeded",
      eventId: announced[0]!.id,
    });
    expect(recordedInstant.events.filter((e) => e.kind === "step.finished").map((e) => e.step)).toEqual([
      "check-kill-switch",
      "run-instant-alerts",
    ]);
  });

  it("kill switches: with opportunity_ingestion off nothing is fetched; with instant_alerts off nothing is matched", async () => {
    setEnv({ SAM_API_KEY: SAM_KEY, SAM_API_BASE_URL: sam.url });
    sam.reset();
    const operator = operatorContextOf({ email: "ops@jobs.test" });
    await setFlag(operator, "opportunity_ingestion", { enabled: false });
    await setFlag(operator, "instant_alerts", { enabled: false });
    try {
      const sentBefore = inngestApi.events.length;
      const ingest = await executeRequest(ingestOpportunities, cronEvent("0 * * * *"), {
        runId: `run-${randomUUID()}`,
      });
      expect(ingest.error).toBeUndefined();
      expect(ingest.result).toEqual({ noop: "opportunity_ingestion flag is off" });
      expect(sam.requests).toHaveLength(0);
      expect(inngestApi.events.length).toBe(sentBefore);

      const runId = `run-${randomUUID()}`;
      const now = new Date().toISOString();
      const instant = await executeRequest(
        instantAlerts,
        {
          name: "opportunities/ingested",
          id: `ingested-${randomUUID()}`,
          data: { source: "sam_api", inserted: 1, updated: 0, since: now, until: now },
        },
        { runId },
      );
      expect(instant.error).toBeUndefined();
      expect(instant.result).toEqual({
        skipped: "instant_alerts flag is off: no alert cursor moved, the next run after it is on catches up",
      });
      expect((await recorded(runId)).events.filter((e) => e.kind === "step.finished").map((e) => e.step)).toEqual([
        "check-kill-switch",
      ]);
    } finally {
      await setFlag(operator, "opportunity_ingestion", { enabled: true });
      await setFlag(operator, "instant_alerts", { enabled: true });
    }
  });

  it("opportunity ingestion with a key SAM.gov refuses fails at once (NonRetriableError), error kept", async () => {
    setEnv({ SAM_API_KEY: "not-the-key", SAM_API_BASE_URL: sam.url });
    sam.reset();
    const runId = `run-${randomUUID()}`;
    const first = await executeRequest(ingestOpportunities, cronEvent("0 * * * *"), { runId });
    expect(first.error).toBeDefined();
    // The SDK reports the failed step; Inngest then calls once more, and the run throws for good.
    const { events } = await recorded(runId);
    expect(events.filter((e) => e.kind === "step.failed")).toEqual([
      {
        kind: "step.failed",
        step: "ingest-from-sam",
        attempt: 0,
        error: expect.stringMatching(/^NonRetriableError: /),
      },
    ]);
    expect((await recorded(runId)).run.status).not.toBe("retrying");

    // The whole run as Inngest drives it (the local runner, as jobs:run does): failed after one attempt.
    const local = await runFunctionLocally(ingestOpportunities, {
      event: cronEvent("0 * * * *"),
      trigger: "cli",
      retryDelayMs: () => 0,
    });
    expect(local.status).toBe("failed");
    const [row] = await db().select().from(jobRuns).where(eq(jobRuns.id, local.jobRunId));
    expect(row).toMatchObject({ status: "failed", attempt: 0, error: expect.stringContaining("SAM.gov answered 401") });
    const steps = await db().select().from(jobEvents).where(eq(jobEvents.jobRunId, local.jobRunId));
    expect(steps.filter((e) => e.kind === "step.failed")).toHaveLength(1);
    expect(steps.filter((e) => e.kind === "run.failed")).toHaveLength(1);
  });

  it("quota reset: rolls an org whose period ended into the new month, recorded as a run", async () => {
    const [org] = await db()
      .insert(organizations)
      .values({ name: "Reset Co", plan: "starter" })
      .returning({ id: organizations.id });
    await db()
      .insert(usageQuotas)
      .values({
        orgId: org!.id,
        periodStart: new Date("2020-01-01T00:00:00Z"),
        periodEnd: new Date("2020-02-01T00:00:00Z"),
        quotaMonthly: 5_000,
        quotaRemaining: 7,
      });
    const runId = `run-${randomUUID()}`;
    const { result, error } = await executeRequest(quotaReset, cronEvent("5 0 1 * *"), { runId });
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ rolled: expect.any(Number) });
    const [quota] = await db().select().from(usageQuotas).where(eq(usageQuotas.orgId, org!.id));
    expect(quota!.quotaRemaining).toBe(5_000);
    expect(quota!.periodEnd.getTime()).toBeGreaterThan(Date.now());
    const { run } = await recorded(runId);
    expect(run).toMatchObject({ functionId: "quota-reset", trigger: "cron", status: "succeeded" });
  });

  it("retention and Stripe reconciliation run as recorded scheduled functions (reconciliation is a no-op without Stripe keys)", async () => {
    const retentionRun = `run-${randomUUID()}`;
    const kept = await executeRequest(retention, cronEvent("15 4 * * *"), { runId: retentionRun });
    expect(kept.error).toBeUndefined();
    expect(kept.result).toMatchObject({
      complete: true,
      deleted: expect.objectContaining({ job_events: expect.any(Number) }),
    });
    expect((await recorded(retentionRun)).run.status).toBe("succeeded");

    setEnv({ STRIPE_SECRET_KEY: undefined });
    const reconcileRun = `run-${randomUUID()}`;
    const skipped = await executeRequest(stripeReconcile, cronEvent("30 3 * * *"), { runId: reconcileRun });
    expect(skipped.result).toEqual({ skipped: "STRIPE_SECRET_KEY is not configured" });
    expect((await recorded(reconcileRun)).run.status).toBe("succeeded");
  });

  it("outbox delivery, the dunning sweep and the ops-alert detector run as recorded functions with their steps", async () => {
    const [queued] = await db()
      .insert(outboxEvents)
      .values({
        kind: "email",
        dedupeKey: `fn-test-${randomUUID()}`,
        payload: { kind: "test", to: "fn@example.com", subject: "Hi", text: "Hello" },
      })
      .returning({ id: outboxEvents.id });
    const deliveryRun = `run-${randomUUID()}`;
    const delivered = await executeRequest(outboxDelivery, cronEvent("* * * * *"), { runId: deliveryRun });
    expect(delivered.error).toBeUndefined();
    expect(delivered.result).toMatchObject({ delivered: expect.any(Number) });
    const [row] = await db()
      .select({ status: outboxEvents.status })
      .from(outboxEvents)
      .where(eq(outboxEvents.id, queued!.id));
    expect(row?.status).toBe("delivered");
    const { run, events } = await recorded(deliveryRun);
    expect(run).toMatchObject({ functionId: "outbox-delivery", status: "succeeded" });
    expect(events.filter((e) => e.step).map((e) => `${e.kind}:${e.step}`)).toEqual([
      "step.started:deliver-due",
      "step.finished:deliver-due",
    ]);

    const sweepRun = `run-${randomUUID()}`;
    const swept = await executeRequest(dunningSweep, cronEvent("20 * * * *"), { runId: sweepRun });
    expect(swept.error).toBeUndefined();
    expect(swept.result).toMatchObject({
      invoices: expect.any(Number),
      emails: expect.any(Number),
      downgraded: expect.any(Number),
    });
    expect((await recorded(sweepRun)).run.status).toBe("succeeded");

    const alertsRun = `run-${randomUUID()}`;
    const detected = await executeRequest(opsAlerts, cronEvent("*/15 * * * *"), { runId: alertsRun });
    expect(detected.error).toBeUndefined();
    expect(detected.result).toMatchObject({ opened: expect.any(Number), open: expect.any(Number) });
    expect((await recorded(alertsRun)).run).toMatchObject({ functionId: "ops-alerts", status: "succeeded" });
  });
});
