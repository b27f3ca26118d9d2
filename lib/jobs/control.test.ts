// Operator control of runs and functions: cancel, pause/resume, bulk re-run — through the real
// SDK execution engine (@inngest/test), the run-tracking middleware and a real database.
import { randomUUID } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import { cron } from "inngest";
import { expect, it } from "vitest";
import { db } from "@/db/client";
import { auditLog, jobEvents, jobHeartbeats, jobRuns } from "@/db/schema";
import { inngest } from "@/inngest/client";
import { describeFunctions, FUNCTIONS } from "@/inngest/functions";
import { FUNCTION_DEFAULTS } from "@/inngest/functions/defaults";
import { heartbeat } from "@/inngest/functions/heartbeat";
import { checkReadiness } from "@/lib/health";
import { detectOpsConditions } from "@/lib/ops";
import { appErrorOf } from "@/tests/app-error";
import { describeEachDatabase } from "@/tests/db";
import { BULK_RERUN_CAP, bulkRerunJobs } from "./bulk-rerun";
import { CANCEL_EVENT_NAME, cancelJobRun, functionIsCancellable } from "./cancel";
import { fakeInngestForFile } from "@/tests/support/inngest";
import { staleHeartbeats } from "./heartbeat-health";
import { runFunctionLocally } from "./local-runner";
import { pauseFunction, pausedFunctions, resumeFunction } from "./pause";
import { executeRequest } from "@/tests/support/inngest-engine";
import { operatorContextOf, systemContextOf } from "@/tests/support/factories";

const actor = operatorContextOf({ email: "ops@beacon.test" });
const cronEvent = (expr: string) => ({
  name: "inngest/scheduled.timer",
  data: { cron: expr },
  id: `cron-${randomUUID()}`,
});

const inngestApi = fakeInngestForFile();

// A scheduled function with two steps, counting the work it really does.
let sweepWork = 0;
const sweep = inngest.createFunction(
  { ...FUNCTION_DEFAULTS, id: "test-sweep", triggers: [cron("*/5 * * * *")] },
  async ({ step }) => {
    const a = await step.run("first", () => (sweepWork += 1));
    const b = await step.run("second", () => (sweepWork += 1));
    return { a, b };
  },
);
// An event function that fails its first attempt (so Inngest holds it as retrying).
let slowCalls = 0;
const slow = inngest.createFunction(
  { ...FUNCTION_DEFAULTS, id: "test-slow", triggers: [{ event: "test/slow" }] },
  async ({ step }) =>
    step.run("call", () => {
      slowCalls += 1;
      if (slowCalls === 1) throw new Error("upstream timeout");
      return "ok";
    }),
);
const stubborn = inngest.createFunction(
  { retries: 3, id: "test-stubborn", triggers: [{ event: "test/stubborn" }] },
  async ({ step }) =>
    step.run("call", () => {
      throw new Error("nope");
    }),
);
const functions = [...FUNCTIONS, sweep, slow, stubborn];

async function runByRunId(runId: string) {
  const [run] = await db().select().from(jobRuns).where(eq(jobRuns.runId, runId));
  return run!;
}
async function kinds(jobRunId: string) {
  const rows = await db()
    .select()
    .from(jobEvents)
    .where(eq(jobEvents.jobRunId, jobRunId))
    .orderBy(asc(jobEvents.at), asc(jobEvents.id));
  return rows.map((e) => `${e.kind}${e.stepId ? `:${e.stepId}` : ""}`);
}

it("every registered function listens for the operator cancel event, and no two share a trigger event (cancel matches by event id)", () => {
  for (const fn of FUNCTIONS) expect(functionIsCancellable(fn), fn.opts.id).toBe(true);
  const events = describeFunctions().flatMap((f) => f.events);
  expect(new Set(events).size).toBe(events.length);
  expect(functionIsCancellable(stubborn)).toBe(false);
  // Dunning keeps its own rule next to the operator one.
  const dunning = FUNCTIONS.find((f) => f.opts.id === "dunning")!;
  expect((dunning.opts as { cancelOn?: unknown[] }).cancelOn).toHaveLength(2);
});

describeEachDatabase("pause and resume a scheduled function", () => {
  it("a paused function's tick is recorded cancelled and does no work; resume restores it; explicit runs still run; audited", async () => {
    sweepWork = 0;
    await pauseFunction({ ...actor, requestId: "req_pause" }, "test-sweep", "maintenance window", { functions });
    expect([...(await pausedFunctions(operatorContextOf())).keys()]).toContain("test-sweep");

    const tickId = `run-${randomUUID()}`;
    const tick = await executeRequest(sweep, cronEvent("*/5 * * * *"), { runId: tickId });
    expect(tick.error).toBeUndefined();
    expect(sweepWork).toBe(0);
    const skipped = await runByRunId(tickId);
    expect(skipped).toMatchObject({
      status: "cancelled",
      trigger: "cron",
      error: expect.stringMatching(/^Skipped: test-sweep is paused/),
      output: { skipped: "paused" },
      finishedAt: expect.any(Date),
    });
    expect(await kinds(skipped.id)).toEqual(["run.started", "run.finished"]);
    const [beat] = await db().select().from(jobHeartbeats).where(eq(jobHeartbeats.functionId, "test-sweep"));
    expect(beat!.lastRunId).toBeNull(); // the skipped tick is no success

    // Not stale however long it stays paused: no readiness failure, no ops alert.
    const monthLater = new Date(Date.now() + 30 * 86_400_000);
    expect(await staleHeartbeats(monthLater)).not.toContain("test-sweep");
    expect((await checkReadiness({ now: monthLater, heartbeatRequired: true })).staleHeartbeats).not.toContain(
      "test-sweep",
    );
    expect(
      (await detectOpsConditions(systemContextOf("ops-cockpit", monthLater))).filter((f) => f.subject === "test-sweep"),
    ).toEqual([]);

    // An explicit run (CLI) of a paused function is what the operator asked for: it runs.
    const cli = await runFunctionLocally(sweep, {
      event: { name: "inngest/scheduled.timer", data: {} },
      trigger: "cli",
      retryDelayMs: () => 0,
    });
    expect(cli.status).toBe("succeeded");
    expect(sweepWork).toBe(2);

    expect((await appErrorOf(pauseFunction(actor, "test-sweep", null, { functions }))).code).toBe("conflict");
    await resumeFunction(actor, "test-sweep", null, { functions });
    expect([...(await pausedFunctions(operatorContextOf())).keys()]).not.toContain("test-sweep");
    const resumedAt = Date.now();
    const [afterResume] = await db().select().from(jobHeartbeats).where(eq(jobHeartbeats.functionId, "test-sweep"));
    expect(afterResume!.lastSuccessAt.getTime()).toBeGreaterThan(resumedAt - 60_000);
    expect(await staleHeartbeats(new Date(resumedAt + 9 * 60_000))).not.toContain("test-sweep");
    expect(await staleHeartbeats(new Date(resumedAt + 11 * 60_000))).toContain("test-sweep");

    const next = `run-${randomUUID()}`;
    await executeRequest(sweep, cronEvent("*/5 * * * *"), { runId: next });
    expect(await runByRunId(next)).toMatchObject({ status: "succeeded", output: { a: 3, b: 4 } });
    expect((await appErrorOf(resumeFunction(actor, "test-sweep", null, { functions }))).code).toBe("conflict");

    const audits = await db()
      .select()
      .from(auditLog)
      .where(eq(auditLog.targetId, "test-sweep"))
      .orderBy(asc(auditLog.at));
    expect(audits.map((a) => a.action)).toEqual(["job_function.pause", "job_function.resume"]);
    expect(audits[0]).toMatchObject({
      targetType: "job_function",
      reason: "maintenance window",
      requestId: "req_pause",
      actorEmail: "ops@beacon.test",
    });
  });

  it("a run already past its first step when the pause lands finishes what it started", async () => {
    sweepWork = 10;
    const runId = `run-${randomUUID()}`;
    const event = cronEvent("*/5 * * * *");
    await pauseFunction(actor, "test-sweep", null, { functions });
    // The request after "first" finished (memoised): not a fresh tick, so the handler runs.
    const later = await executeRequest(sweep, event, { runId, memoized: { first: 11 } });
    expect(later.error).toBeUndefined();
    expect(await runByRunId(runId)).toMatchObject({ status: "succeeded", output: { a: 11, b: 11 } });
    await resumeFunction(actor, "test-sweep", null, { functions });
  });

  it("only registered scheduled functions can be paused", async () => {
    expect((await appErrorOf(pauseFunction(actor, "dunning", null, { functions }))).code).toBe("conflict");
    expect((await appErrorOf(pauseFunction(actor, "no-such-function", null, { functions }))).code).toBe("not_found");
  });
});

describeEachDatabase("cancel a run", () => {
  it("a retrying run is cancelled through Inngest's cancel event, marked cancelled and audited", async () => {
    slowCalls = 0;
    const runId = `run-${randomUUID()}`;
    const event = {
      name: "test/slow",
      data: { org_id: "2f1c7a3e-5b6d-4e8f-9a0b-1c2d3e4f5a6b" },
      id: `evt-${randomUUID()}`,
    };
    await executeRequest(slow, event, { runId });
    const run = await runByRunId(runId);
    expect(run.status).toBe("retrying");

    const sentBefore = inngestApi.events.length;
    const result = await cancelJobRun({ ...actor, requestId: "req_cancel" }, run.id, "customer asked", {
      functions,
      send: (e) => inngest.send(e),
    });
    expect(result).toMatchObject({ jobRunId: run.id, status: "cancelled" });
    expect(inngestApi.events.slice(sentBefore)).toEqual([
      expect.objectContaining({
        name: CANCEL_EVENT_NAME,
        id: `cancel-${run.id}`,
        data: { event_id: event.id, run_id: runId, function_id: "test-slow", job_run_id: run.id },
      }),
    ]);
    const [after] = await db().select().from(jobRuns).where(eq(jobRuns.id, run.id));
    expect(after).toMatchObject({
      status: "cancelled",
      error: "Cancelled by ops@beacon.test: customer asked",
      finishedAt: expect.any(Date),
    });
    expect((await kinds(run.id)).at(-1)).toBe("run.failed");
    const audits = await db().select().from(auditLog).where(eq(auditLog.targetId, run.id));
    expect(audits).toEqual([
      expect.objectContaining({
        action: "job_run.cancel",
        orgId: "2f1c7a3e-5b6d-4e8f-9a0b-1c2d3e4f5a6b",
        reason: "customer asked",
        requestId: "req_cancel",
        before: expect.objectContaining({ status: "retrying" }),
      }),
    ]);

    // Already cancelled: nothing more to do.
    expect(
      (await appErrorOf(cancelJobRun(actor, run.id, null, { functions, send: () => Promise.resolve() }))).code,
    ).toBe("conflict");
  });

  it("refuses what Inngest cannot cancel, and changes nothing when the cancel event cannot be sent", async () => {
    const send = () => Promise.reject(new Error("must not send"));
    const done = await runFunctionLocally(heartbeat, {
      event: { name: "inngest/scheduled.timer", data: {} },
      trigger: "cli",
    });
    expect((await appErrorOf(cancelJobRun(actor, done.jobRunId, null, { functions, send }))).message).toMatch(
      /succeeded/,
    );

    const stubbornRun = `run-${randomUUID()}`;
    await executeRequest(
      stubborn,
      { name: "test/stubborn", data: {}, id: `evt-${randomUUID()}` },
      { runId: stubbornRun },
    );
    const held = await runByRunId(stubbornRun);
    expect(held.status).toBe("retrying");
    expect((await appErrorOf(cancelJobRun(actor, held.id, null, { functions, send }))).message).toMatch(
      /does not listen/,
    );

    slowCalls = 0;
    const slowRun = `run-${randomUUID()}`;
    await executeRequest(slow, { name: "test/slow", data: {}, id: `evt-${randomUUID()}` }, { runId: slowRun });
    const retrying = await runByRunId(slowRun);
    const down = await appErrorOf(
      cancelJobRun(actor, retrying.id, null, { functions, send: () => Promise.reject(new Error("Inngest is down")) }),
    );
    expect(down.code).toBe("not_ready");
    expect((await runByRunId(slowRun)).status).toBe("retrying");
    expect(await db().select().from(auditLog).where(eq(auditLog.targetId, retrying.id))).toEqual([]);
    expect((await appErrorOf(cancelJobRun(actor, randomUUID(), null, { functions, send }))).code).toBe("not_found");
  });
});

describeEachDatabase("bulk re-run by filter", () => {
  it("re-runs exactly the matching runs after the count is confirmed, links each by rerun_of, audits once", async () => {
    const marker = `bulk-${randomUUID().slice(0, 8)}`;
    const originals: string[] = [];
    for (let i = 0; i < 3; i++) {
      const runId = `run-${randomUUID()}`;
      slowCalls = 1; // succeeds straight away
      await executeRequest(slow, { name: "test/slow", data: { marker, n: i }, id: `evt-${randomUUID()}` }, { runId });
      originals.push((await runByRunId(runId)).id);
    }
    // Same function, other payload: not matched.
    slowCalls = 1;
    await executeRequest(
      slow,
      { name: "test/slow", data: { marker: "other" }, id: `evt-${randomUUID()}` },
      { runId: `run-${randomUUID()}` },
    );

    const filter = { functionId: "test-slow", search: marker };
    const send = (e: { name: string; data: Record<string, unknown>; id: string }) => inngest.send(e);
    const wrong = await appErrorOf(
      bulkRerunJobs(actor, { filter, label: "replay after outage", confirm: 4 }, { functions, send }),
    );
    expect(wrong.code).toBe("conflict");
    expect(wrong.message).toMatch(/3 runs match this filter now, not 4/);
    expect(
      (
        await appErrorOf(
          bulkRerunJobs(actor, { filter: { search: `${marker}-none` }, label: "x", confirm: 1 }, { functions, send }),
        )
      ).message,
    ).toMatch(/No runs match/);

    const sentBefore = inngestApi.events.length;
    const result = await bulkRerunJobs(
      { ...actor, requestId: "req_bulk" },
      { filter, label: "replay after outage", confirm: 3 },
      {
        functions,
        send,
      },
    );
    expect(result).toMatchObject({ matched: 3, failed: null });
    expect(result.reruns.map((r) => r.rerunOf).sort()).toEqual([...originals].sort());
    expect(result.reruns.every((r) => r.status === "queued" && r.mode === "event")).toBe(true);
    const sent = inngestApi.events.slice(sentBefore);
    expect(sent.map((e) => (e.data as { marker: string }).marker)).toEqual([marker, marker, marker]);

    for (const r of result.reruns) {
      const [row] = await db().select().from(jobRuns).where(eq(jobRuns.id, r.jobRunId));
      expect(row).toMatchObject({ rerunOf: r.rerunOf, trigger: "rerun", status: "queued" });
    }
    const audits = await db().select().from(auditLog).where(eq(auditLog.action, "job_run.bulk_rerun"));
    const mine = audits.filter((a) => a.requestId === "req_bulk");
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      id: result.auditId,
      reason: "replay after outage",
      targetType: "job_run_filter",
      before: {
        filter: { function: "test-slow", q: marker, status: null, org: null, from: null, to: null },
        matched: 3,
        confirmed: 3,
      },
      after: { rerun_count: 3, failed: null },
    });
    expect((mine[0]!.after as { reruns: { rerun_of: string }[] }).reruns.map((r) => r.rerun_of).sort()).toEqual(
      [...originals].sort(),
    );
    // No per-run audit entries: the bulk operation is one entry.
    for (const id of originals) expect(await db().select().from(auditLog).where(eq(auditLog.targetId, id))).toEqual([]);
  });

  it(`refuses more than ${BULK_RERUN_CAP} matching runs, and stops (audited) at the first send failure`, async () => {
    const fn = `test-cap-${randomUUID().slice(0, 8)}`;
    await db()
      .insert(jobRuns)
      .values(
        Array.from({ length: BULK_RERUN_CAP + 1 }, (_, i) => ({
          functionId: fn,
          runId: `${fn}-${i}`,
          status: "failed",
          eventName: "test/slow",
          eventId: `e-${fn}-${i}`,
        })),
      );
    const tooMany = await appErrorOf(
      bulkRerunJobs(
        actor,
        { filter: { functionId: fn }, label: "too many", confirm: BULK_RERUN_CAP + 1 },
        {
          functions,
          send: () => Promise.resolve(),
        },
      ),
    );
    expect(tooMany.message).toMatch(
      new RegExp(`${BULK_RERUN_CAP + 1} runs match; a bulk re-run takes at most ${BULK_RERUN_CAP}`),
    );

    const few = `test-few-${randomUUID().slice(0, 8)}`;
    await db()
      .insert(jobRuns)
      .values(
        [0, 1, 2].map((i) => ({
          functionId: "test-slow",
          runId: `${few}-${i}`,
          status: "failed",
          eventName: "test/slow",
          eventId: `e-${few}-${i}`,
          eventPayload: { few },
        })),
      );
    let sends = 0;
    const flakySend = () => (++sends === 2 ? Promise.reject(new Error("Inngest is down")) : Promise.resolve());
    const result = await bulkRerunJobs(
      actor,
      { filter: { search: few }, label: "partial", confirm: 3 },
      {
        functions,
        send: flakySend,
      },
    );
    expect(result.reruns).toHaveLength(1);
    expect(result.failed?.error).toMatch(/Inngest is down/);
    const [audit] = await db().select().from(auditLog).where(eq(auditLog.id, result.auditId));
    expect(audit!.after).toMatchObject({ rerun_count: 1, failed: { error: expect.stringMatching(/Inngest is down/) } });
  });
});
