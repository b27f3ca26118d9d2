import { randomUUID } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import { NonRetriableError } from "inngest";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { withSystem } from "@/db/tenant";
import { seedDatabase } from "@/db/seed";
import { auditLog, jobEvents, jobHeartbeats, jobRuns } from "@/db/schema";
import { inngest } from "@/inngest/client";
import { FUNCTIONS } from "@/inngest/functions";
import { heartbeat } from "@/inngest/functions/heartbeat";
import { checkReadiness } from "@/lib/health";
import { runCommand } from "@/scripts/cli-commands";
import { appErrorOf } from "@/tests/app-error";
import { describeEachDatabase, describeEachDatabaseAsApp } from "@/tests/db";
import { bulkRerunJobs } from "./bulk-rerun";
import { cronIntervalMs } from "./cron";
import { fakeInngestForFile } from "@/tests/support/inngest";
import { heartbeatHealth, staleHeartbeats } from "./heartbeat-health";
import { recordHeartbeat } from "./heartbeats";
import { runFunctionLocally } from "./local-runner";
import { pausedFunctions, pauseFunction, resumeFunction } from "./pause";
import { listJobRuns, getJobRun } from "./queries";
import { rerunJob } from "./rerun";
import { jobRunStatusCounts } from "./stats";
import { executeRequest } from "@/tests/support/inngest-engine";
import { operatorContextOf } from "@/tests/support/factories";

describe("cronIntervalMs", () => {
  it.each([
    ["* * * * *", 60_000],
    ["*/15 * * * *", 15 * 60_000],
    ["0 * * * *", 3_600_000],
    ["30 3 * * *", 86_400_000],
    ["0 0 * * 1", 7 * 86_400_000],
    ["0 0 1 * *", 31 * 86_400_000],
    ["TZ=Europe/Paris 0 9 * * 1-5", 3 * 86_400_000],
    ["15,45 * * * *", 30 * 60_000],
    ["0 */6 * * *", 6 * 3_600_000],
    ["0 9,17 * * *", 16 * 3_600_000],
    // 15 January → 1 February.
    ["0 6 1,15 * *", 17 * 86_400_000],
    // Either day field may match when both are restricted: the 1st or any Monday.
    ["0 0 1 * 1", 7 * 86_400_000],
    ["0 12 1 1,7 *", 184 * 86_400_000],
  ])("%s → %i ms", (expression, ms) => {
    expect(cronIntervalMs(expression)).toBe(ms);
  });

  it("refuses what it cannot read", () => {
    expect(() => cronIntervalMs("@hourly")).toThrow(/five fields/);
    expect(() => cronIntervalMs("61 * * * *")).toThrow(/Unsupported cron field/);
    // 29 February does not come in 2025 or 2026.
    expect(() => cronIntervalMs("0 0 29 2 *")).toThrow(/at least twice a year/);
  });
});

// Functions that exist only here, to drive the middleware through failures: real definitions on
// the real client, so every hook runs as it does for the registered functions.
let flakyCalls = 0;
const flaky = inngest.createFunction(
  { id: "test-flaky", retries: 3, triggers: [{ event: "test/flaky" }] },
  async ({ step }) => {
    const first = await step.run("prepare", () => "ready");
    const second = await step.run("flaky-call", () => {
      flakyCalls += 1;
      if (flakyCalls === 1) throw new Error("upstream hiccup");
      return "ok";
    });
    return { first, second };
  },
);
const broken = inngest.createFunction(
  { id: "test-broken", retries: 2, triggers: [{ event: "test/broken" }] },
  async ({ step }) =>
    step.run("always-fails", () => {
      throw new Error("still broken");
    }),
);
const permanent = inngest.createFunction(
  { id: "test-permanent", retries: 3, triggers: [{ event: "test/permanent" }] },
  async ({ step }) =>
    step.run("refused", () => {
      throw new NonRetriableError("the input can never work");
    }),
);

async function stepLog(jobRunId: string) {
  const rows = await db()
    .select()
    .from(jobEvents)
    .where(eq(jobEvents.jobRunId, jobRunId))
    .orderBy(asc(jobEvents.at), asc(jobEvents.id));
  return rows.map((e) => `${e.kind}${e.stepId ? `:${e.stepId}` : ""}@${e.attempt}`);
}

const inngestApi = fakeInngestForFile();

describeEachDatabase("run tracking", ({ handle }) => {
  it("a failing step marks the run retrying; the next attempt (same run) succeeds it", async () => {
    flakyCalls = 0;
    const runId = `run-${randomUUID()}`;
    const event = {
      name: "test/flaky",
      data: { org_id: "2f1c7a3e-5b6d-4e8f-9a0b-1c2d3e4f5a6b" },
      id: `evt-${randomUUID()}`,
    };
    const firstAttempt = await executeRequest(flaky, event, { runId, attempt: 0 });
    expect(firstAttempt.error).toBeDefined();
    const [retrying] = await db().select().from(jobRuns).where(eq(jobRuns.runId, runId));
    expect(retrying).toMatchObject({
      status: "retrying",
      attempt: 0,
      error: "Error: upstream hiccup",
      orgId: "2f1c7a3e-5b6d-4e8f-9a0b-1c2d3e4f5a6b",
      finishedAt: null,
    });

    const secondAttempt = await executeRequest(flaky, event, { runId, attempt: 1, memoized: { prepare: "ready" } });
    expect(secondAttempt.error).toBeUndefined();
    expect(secondAttempt.result).toEqual({ first: "ready", second: "ok" });
    const rows = await db().select().from(jobRuns).where(eq(jobRuns.runId, runId));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      status: "succeeded",
      attempt: 1,
      error: null,
      output: { first: "ready", second: "ok" },
    });
    expect(await stepLog(rows[0]!.id)).toEqual([
      "run.started@0",
      "step.started:prepare@0",
      "step.finished:prepare@0",
      "step.started:flaky-call@0",
      "step.failed:flaky-call@0",
      "step.started:flaky-call@1",
      "step.finished:flaky-call@1",
      "run.finished@1",
    ]);
  });

  it("the local runner retries a failing step like Inngest, then succeeds", async () => {
    flakyCalls = 0;
    const run = await runFunctionLocally(flaky, {
      event: { name: "test/flaky", data: {} },
      trigger: "cli",
      retryDelayMs: () => 0,
    });
    expect(run).toMatchObject({ status: "succeeded", output: { first: "ready", second: "ok" }, error: null });
    const log = await stepLog(run.jobRunId);
    expect(log.filter((e) => e.startsWith("step.failed"))).toEqual(["step.failed:flaky-call@0"]);
    expect(log).toContain("step.finished:flaky-call@1");
    const [row] = await db().select().from(jobRuns).where(eq(jobRuns.id, run.jobRunId));
    expect(row).toMatchObject({
      trigger: "cli",
      status: "succeeded",
      attempt: 1,
      runId: expect.stringMatching(/^local-/),
    });
  });

  it("a run whose retries run out ends failed with its error; every attempt is logged", async () => {
    const run = await runFunctionLocally(broken, {
      event: { name: "test/broken", data: {} },
      trigger: "cli",
      retryDelayMs: () => 0,
    });
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(/still broken/);
    const [row] = await db().select().from(jobRuns).where(eq(jobRuns.id, run.jobRunId));
    expect(row).toMatchObject({ status: "failed", attempt: 2, finishedAt: expect.any(Date) });
    const log = await stepLog(run.jobRunId);
    expect(log.filter((e) => e.startsWith("step.failed"))).toEqual([
      "step.failed:always-fails@0",
      "step.failed:always-fails@1",
      "step.failed:always-fails@2",
    ]);
    expect(log.at(-1)).toMatch(/^run\.failed@/);
  });

  it("NonRetriableError fails the run at once", async () => {
    const run = await runFunctionLocally(permanent, {
      event: { name: "test/permanent", data: {} },
      trigger: "cli",
      retryDelayMs: () => 0,
    });
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(/the input can never work/);
    const log = await stepLog(run.jobRunId);
    expect(log.filter((e) => e.startsWith("step."))).toEqual(["step.started:refused@0", "step.failed:refused@0"]);
  });

  it("jobs:run runs a scheduled function once, recorded with trigger cli, and refuses others", async () => {
    const deps = { database: handle, migrateDatabase, seedDatabase };
    const printed = await runCommand("jobs:run", {}, deps, ["heartbeat"]);
    expect(printed).toEqual({ job_run_id: expect.any(String), status: "succeeded" });
    const found = await getJobRun(operatorContextOf(), printed.job_run_id as string);
    expect(found!.run).toMatchObject({ functionId: "heartbeat", trigger: "cli", status: "succeeded" });
    expect(found!.events.map((e) => e.kind)).toEqual(["run.started", "step.started", "step.finished", "run.finished"]);
    for (const positionals of [["dunning"], ["nope"], []]) {
      expect((await appErrorOf(runCommand("jobs:run", {}, deps, positionals))).code).toBe("validation_failed");
    }
  });

  it("lists runs newest first with filters and a cursor", async () => {
    const all = await listJobRuns(operatorContextOf(), { limit: 200 });
    expect(all.runs.length).toBeGreaterThanOrEqual(5);
    const page1 = await listJobRuns(operatorContextOf(), { limit: 2 });
    const page2 = await listJobRuns(operatorContextOf(), { limit: 2, after: page1.next! });
    expect([...page1.runs, ...page2.runs].map((r) => r.id)).toEqual(all.runs.slice(0, 4).map((r) => r.id));
    expect(
      (await listJobRuns(operatorContextOf(), { status: "failed" })).runs.every((r) => r.status === "failed"),
    ).toBe(true);
    expect(
      (await listJobRuns(operatorContextOf(), { functionId: "test-broken" })).runs.map((r) => r.functionId),
    ).toEqual(["test-broken"]);
    expect(
      (await listJobRuns(operatorContextOf(), { orgId: "2f1c7a3e-5b6d-4e8f-9a0b-1c2d3e4f5a6b" })).runs.map(
        (r) => r.functionId,
      ),
    ).toEqual(["test-flaky"]);
    expect((await listJobRuns(operatorContextOf(), { search: "5b6d-4e8f" })).runs.map((r) => r.functionId)).toEqual([
      "test-flaky",
    ]);
    expect((await listJobRuns(operatorContextOf(), { from: new Date(Date.now() + 60_000) })).runs).toEqual([]);
  });
});

describeEachDatabase("heartbeats and readiness", () => {
  it("a heartbeat older than twice its interval is stale; readiness reports it, and fails on it only when required", async () => {
    const now = new Date("2026-03-01T12:00:00Z");
    await recordHeartbeat({
      functionId: "fresh",
      runId: "r1",
      expectedEveryMs: 60_000,
      at: new Date(now.getTime() - 119_000),
    });
    await recordHeartbeat({
      functionId: "late",
      runId: "r2",
      expectedEveryMs: 60_000,
      at: new Date(now.getTime() - 121_000),
    });
    await recordHeartbeat({
      functionId: "paused",
      runId: "r3",
      expectedEveryMs: 60_000,
      at: new Date(now.getTime() - 3_600_000),
    });
    await db().update(jobHeartbeats).set({ pausedAt: now }).where(eq(jobHeartbeats.functionId, "paused"));
    expect(await staleHeartbeats(now)).toEqual(["late"]);

    const relaxed = await checkReadiness({ now, heartbeatRequired: false });
    expect(relaxed).toMatchObject({
      ready: true,
      checks: { database: "ok", migrations: "ok", heartbeats: "failing" },
      staleHeartbeats: ["late"],
    });
    const strict = await checkReadiness({ now, heartbeatRequired: true });
    expect(strict).toMatchObject({ ready: false, checks: { heartbeats: "failing" }, staleHeartbeats: ["late"] });

    // An older success arriving late does not move the heartbeat back; a newer one refreshes it.
    await recordHeartbeat({
      functionId: "late",
      runId: "r0",
      expectedEveryMs: 60_000,
      at: new Date(now.getTime() - 500_000),
    });
    expect(await staleHeartbeats(now)).toEqual(["late"]);
    await recordHeartbeat({ functionId: "late", runId: "r4", expectedEveryMs: 60_000, at: now });
    expect(await staleHeartbeats(now)).toEqual([]);
    expect(await checkReadiness({ now, heartbeatRequired: true })).toMatchObject({
      ready: true,
      checks: { heartbeats: "ok" },
      staleHeartbeats: [],
    });
  });
});

describeEachDatabase("re-runs", () => {
  const actor = operatorContextOf({ email: "ops@beacon.test" });

  it("re-running a scheduled run executes it here, linked to the original, and audited", async () => {
    const original = await runFunctionLocally(heartbeat, {
      event: { name: "inngest/scheduled.timer", data: { cron: "* * * * *" } },
      trigger: "cli",
    });
    const rerun = await rerunJob({ ...actor, requestId: "req_test" }, original.jobRunId, {
      functions: FUNCTIONS,
      send: () => Promise.reject(new Error("must not send")),
    });
    expect(rerun).toMatchObject({ status: "succeeded", mode: "local" });
    const [row] = await db().select().from(jobRuns).where(eq(jobRuns.id, rerun.jobRunId));
    expect(row).toMatchObject({
      functionId: "heartbeat",
      trigger: "rerun",
      rerunOf: original.jobRunId,
      status: "succeeded",
      eventName: "inngest/scheduled.timer",
    });
    expect(row!.eventId).not.toBe((await getJobRun(operatorContextOf(), original.jobRunId))!.run.eventId);
    expect((await getJobRun(operatorContextOf(), original.jobRunId))!.reruns.map((r) => r.id)).toEqual([
      rerun.jobRunId,
    ]);
    const audits = await db().select().from(auditLog).where(eq(auditLog.targetId, original.jobRunId));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      action: "job_run.rerun",
      actorType: "operator",
      actorEmail: "ops@beacon.test",
      targetType: "job_run",
      requestId: "req_test",
      after: { job_run_id: rerun.jobRunId, mode: "local" },
    });
  });

  it("re-running an event run re-sends its event with a new id; the run Inngest starts claims the linked queued row", async () => {
    flakyCalls = 1; // succeeds straight away
    const orgId = randomUUID();
    const event = { name: "test/flaky", data: { org_id: orgId, n: 1 }, id: `evt-${randomUUID()}` };
    const runId = `run-${randomUUID()}`;
    await executeRequest(flaky, event, { runId });
    const [original] = await db().select().from(jobRuns).where(eq(jobRuns.runId, runId));
    const functions = [...FUNCTIONS, flaky];
    const sentBefore = inngestApi.events.length;
    const rerun = await rerunJob(actor, original!.id, { functions, send: (e) => inngest.send(e) });
    expect(rerun).toMatchObject({ status: "queued", mode: "event" });
    const sent = inngestApi.events.slice(sentBefore);
    // The data is the original's plus the re-run marker (a function's idempotency key can tell them apart).
    expect(sent).toEqual([
      expect.objectContaining({
        name: "test/flaky",
        data: { org_id: orgId, n: 1, rerun_id: sent[0]!.id },
        id: expect.stringMatching(/^rerun-/),
      }),
    ]);
    expect(sent[0]!.id).not.toBe(event.id);
    const [queued] = await db().select().from(jobRuns).where(eq(jobRuns.id, rerun.jobRunId));
    expect(queued).toMatchObject({
      status: "queued",
      trigger: "rerun",
      rerunOf: original!.id,
      orgId,
      eventId: sent[0]!.id,
    });

    // Inngest delivers the re-sent event: the new run takes over the queued row.
    const newRunId = `run-${randomUUID()}`;
    await executeRequest(flaky, { ...sent[0]!, id: sent[0]!.id! }, { runId: newRunId });
    const [claimed] = await db().select().from(jobRuns).where(eq(jobRuns.id, rerun.jobRunId));
    expect(claimed).toMatchObject({ runId: newRunId, status: "succeeded", trigger: "rerun", rerunOf: original!.id });
    expect(await db().select().from(auditLog).where(eq(auditLog.targetId, original!.id))).toHaveLength(1);
  });

  it("a failed send leaves no queued run and no audit row; unknown runs are 404", async () => {
    const runId = `run-${randomUUID()}`;
    flakyCalls = 1;
    await executeRequest(flaky, { name: "test/flaky", data: {}, id: `evt-${randomUUID()}` }, { runId });
    const [original] = await db().select().from(jobRuns).where(eq(jobRuns.runId, runId));
    const error = await appErrorOf(
      rerunJob(actor, original!.id, { functions: [flaky], send: () => Promise.reject(new Error("Inngest is down")) }),
    );
    expect(error.code).toBe("not_ready");
    expect(await db().select().from(jobRuns).where(eq(jobRuns.rerunOf, original!.id))).toEqual([]);
    expect(await db().select().from(auditLog).where(eq(auditLog.targetId, original!.id))).toEqual([]);
    expect(
      (await appErrorOf(rerunJob(actor, randomUUID(), { functions: [flaky], send: () => Promise.resolve() }))).code,
    ).toBe("not_found");
  });
});

/** Run tracking and the cockpit's job controls as the app's own role: only withSystem sees job rows. */
describeEachDatabaseAsApp("run tracking under row-level security", () => {
  const actor = operatorContextOf({ email: "ops@beacon.test" });
  const orgId = "7d0e1f2a-3b4c-4d5e-8f6a-7b8c9d0e1f2a";

  it("records attempts, steps, heartbeats, pauses and re-runs, and the cockpit lists them", async () => {
    expect(await db().select().from(jobRuns)).toEqual([]);
    flakyCalls = 0;
    const runId = `run-${randomUUID()}`;
    const event = { name: "test/flaky", data: { org_id: orgId }, id: `evt-${randomUUID()}` };
    expect((await executeRequest(flaky, event, { runId, attempt: 0 })).error).toBeDefined();
    expect((await executeRequest(flaky, event, { runId, attempt: 1, memoized: { prepare: "ready" } })).error).toBe(
      undefined,
    );
    const [tracked] = (await listJobRuns(operatorContextOf(), { orgId })).runs;
    expect(tracked).toMatchObject({ runId, status: "succeeded", attempt: 1 });
    expect((await getJobRun(operatorContextOf(), tracked!.id))!.events.map((e) => `${e.kind}@${e.attempt}`)).toEqual([
      "run.started@0",
      "step.started@0",
      "step.finished@0",
      "step.started@0",
      "step.failed@0",
      "step.started@1",
      "step.finished@1",
      "run.finished@1",
    ]);

    const beat = await runFunctionLocally(heartbeat, {
      event: { name: "inngest/scheduled.timer", data: { cron: "* * * * *" } },
      trigger: "cli",
    });
    expect(beat.status).toBe("succeeded");
    expect(await staleHeartbeats(new Date())).toEqual([]);
    expect((await heartbeatHealth()).find((h) => h.functionId === "heartbeat")).toMatchObject({ status: "ok" });

    await pauseFunction(actor, "heartbeat", "maintenance window", { functions: FUNCTIONS });
    expect([...(await pausedFunctions(operatorContextOf())).keys()]).toEqual(["heartbeat"]);
    const tickId = `run-${randomUUID()}`;
    await executeRequest(
      heartbeat,
      { name: "inngest/scheduled.timer", data: {}, id: `cron-${randomUUID()}` },
      {
        runId: tickId,
      },
    );
    expect(
      (await listJobRuns(operatorContextOf(), { functionId: "heartbeat", status: "cancelled" })).runs.map(
        (r) => r.runId,
      ),
    ).toEqual([tickId]);
    await resumeFunction(actor, "heartbeat", null, { functions: FUNCTIONS });
    expect(await pausedFunctions(operatorContextOf())).toEqual(new Map());

    const send = () => Promise.reject(new Error("must not send"));
    const rerun = await rerunJob(actor, beat.jobRunId, { functions: FUNCTIONS, send });
    expect(rerun).toMatchObject({ status: "succeeded", mode: "local" });
    expect((await getJobRun(operatorContextOf(), beat.jobRunId))!.reruns.map((r) => r.id)).toEqual([rerun.jobRunId]);
    const bulk = await bulkRerunJobs(
      actor,
      { filter: { functionId: "heartbeat", status: "succeeded" }, label: "after the pause", confirm: 2 },
      { functions: FUNCTIONS, send },
    );
    expect(bulk.reruns).toHaveLength(2);
    expect((await jobRunStatusCounts(operatorContextOf())).succeeded).toBe(5);
    const audited = await withSystem("ops-cockpit", (tx) => tx.select().from(auditLog));
    expect(audited.map((a) => a.action).sort()).toEqual([
      "job_function.pause",
      "job_function.resume",
      "job_run.bulk_rerun",
      "job_run.rerun",
    ]);
  });
});
