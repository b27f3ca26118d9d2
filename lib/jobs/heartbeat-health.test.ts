// One table of scheduler situations, judged by every view that reports heartbeats: the heartbeat
// health itself, the cockpit overview tile, readiness (and GET /api/readyz), the ops alert
// detector and the Prometheus gauge. They must all agree, because they all use one rule.
import { randomUUID } from "node:crypto";
import { cron } from "inngest";
import { beforeAll, describe, expect, it } from "vitest";
import * as readyz from "@/app/api/readyz/route";
import { inngest } from "@/inngest/client";
import { FUNCTION_DEFAULTS } from "@/inngest/functions/defaults";
import { checkReadiness, registerDatabaseCollectors } from "@/lib/health";
import { metrics } from "@/lib/observability";
import { detectOpsConditions, opsOverview } from "@/lib/ops";
import { describeEachDatabase } from "@/tests/db";
import { withTestEnv } from "@/tests/env";
import { operatorContextOf, systemContextOf } from "@/tests/support/factories";
import { fakeInngestForFile } from "@/tests/support/inngest";
import { heartbeatHealth, heartbeatStatus, registerSchedules, type HeartbeatStatus } from "./heartbeat-health";
import { recordHeartbeat } from "./heartbeats";
import { pauseFunction } from "./pause";
import { executeRequest } from "@/tests/support/inngest-engine";

withTestEnv({ JOB_HEARTBEAT_REQUIRED: "true" });

const HOUR = 3_600_000;
const MINUTE = 60_000;

describe("heartbeatStatus", () => {
  const registeredAt = new Date("2026-03-01T12:00:00Z");
  const at = (ms: number) => new Date(registeredAt.getTime() + ms);
  it.each<[string, { since: Date; neverSucceeded: boolean; pausedAt: Date | null }, Date, HeartbeatStatus]>([
    [
      "never ran, just registered",
      { since: registeredAt, neverSucceeded: true, pausedAt: null },
      registeredAt,
      "waiting",
    ],
    [
      "never ran, exactly two intervals",
      { since: registeredAt, neverSucceeded: true, pausedAt: null },
      at(2 * HOUR),
      "waiting",
    ],
    [
      "never ran, past two intervals",
      { since: registeredAt, neverSucceeded: true, pausedAt: null },
      at(2 * HOUR + 1),
      "stale",
    ],
    [
      "succeeded, exactly two intervals ago",
      { since: registeredAt, neverSucceeded: false, pausedAt: null },
      at(2 * HOUR),
      "ok",
    ],
    [
      "succeeded, more than two intervals ago",
      { since: registeredAt, neverSucceeded: false, pausedAt: null },
      at(2 * HOUR + 1),
      "stale",
    ],
    [
      "paused, however long",
      { since: registeredAt, neverSucceeded: true, pausedAt: registeredAt },
      at(1000 * HOUR),
      "paused",
    ],
  ])("%s → %s", (_, beat, now, status) => {
    expect(heartbeatStatus({ ...beat, expectedEveryMs: HOUR }, now)).toBe(status);
  });
});

fakeInngestForFile();

// Hourly functions: the situations are hours apart, so the real clock of the metrics scrape and
// the readiness route (a few seconds after `now`) falls in the same situation.
const failing = inngest.createFunction(
  { ...FUNCTION_DEFAULTS, id: "hb-failing", triggers: [cron("0 * * * *")] },
  async ({ step }) =>
    step.run("call", () => {
      throw new Error("upstream down");
    }),
);
const pausable = inngest.createFunction(
  { ...FUNCTION_DEFAULTS, id: "hb-paused", triggers: [cron("0 * * * *")] },
  async () => "ok",
);

interface Situation {
  functionId: string;
  setUp: (now: Date) => Promise<void>;
  status: HeartbeatStatus;
}
const ago = (now: Date, ms: number) => new Date(now.getTime() - ms);
const register = (functionId: string, at: Date) => registerSchedules([{ functionId, expectedEveryMs: HOUR }], at);

const SITUATIONS: Situation[] = [
  {
    functionId: "hb-never-ran-in-grace",
    status: "waiting",
    setUp: (now) => register("hb-never-ran-in-grace", ago(now, 30 * MINUTE)),
  },
  {
    functionId: "hb-never-ran-past-grace",
    status: "stale",
    setUp: (now) => register("hb-never-ran-past-grace", ago(now, 2 * HOUR + 10 * MINUTE)),
  },
  {
    functionId: "hb-ran-recently",
    status: "ok",
    setUp: async (now) => {
      await register("hb-ran-recently", ago(now, 30 * HOUR));
      await recordHeartbeat({
        functionId: "hb-ran-recently",
        runId: "run-recent",
        expectedEveryMs: HOUR,
        at: ago(now, 10 * MINUTE),
      });
    },
  },
  {
    functionId: "hb-ran-long-ago",
    status: "stale",
    setUp: async (now) => {
      await register("hb-ran-long-ago", ago(now, 30 * HOUR));
      await recordHeartbeat({
        functionId: "hb-ran-long-ago",
        runId: "run-old",
        expectedEveryMs: HOUR,
        at: ago(now, 5 * HOUR),
      });
      // Registering again (a restart, a deploy) does not give an old function a new grace.
      await register("hb-ran-long-ago", now);
    },
  },
  {
    functionId: "hb-paused",
    status: "paused",
    setUp: async (now) => {
      await register("hb-paused", ago(now, 30 * HOUR));
      await pauseFunction(operatorContextOf(), "hb-paused", "maintenance", { functions: [pausable] });
    },
  },
  {
    functionId: "hb-failing",
    status: "stale",
    setUp: async (now) => {
      await register("hb-failing", ago(now, 30 * HOUR));
      await recordHeartbeat({
        functionId: "hb-failing",
        runId: "run-last-good",
        expectedEveryMs: HOUR,
        at: ago(now, 3 * HOUR),
      });
      // Its ticks run, but fail: a failed run is no heartbeat.
      const { error } = await executeRequest(
        failing,
        { name: "inngest/scheduled.timer", data: { cron: "0 * * * *" }, id: `cron-${randomUUID()}` },
        { runId: `run-${randomUUID()}`, maxAttempts: 1 },
      );
      expect(error).toBeDefined();
    },
  },
];

describeEachDatabase("heartbeat health: one rule, every view", () => {
  const now = new Date();
  beforeAll(async () => {
    for (const situation of SITUATIONS) await situation.setUp(now);
  });

  const expectedStale = SITUATIONS.filter((s) => s.status === "stale")
    .map((s) => s.functionId)
    .sort();

  it("heartbeat health: each situation gets its status", async () => {
    const health = await heartbeatHealth(now);
    expect(Object.fromEntries(health.map((h) => [h.functionId, h.status]))).toEqual(
      Object.fromEntries(SITUATIONS.map((s) => [s.functionId, s.status])),
    );
    expect(health.find((h) => h.functionId === "hb-never-ran-past-grace")).toMatchObject({
      neverSucceeded: true,
      lastSuccessAt: null,
    });
    expect(health.find((h) => h.functionId === "hb-paused")).toMatchObject({
      neverSucceeded: true,
      lastSuccessAt: null,
    });
    expect(health.find((h) => h.functionId === "hb-ran-long-ago")).toMatchObject({
      neverSucceeded: false,
      lastRunId: "run-old",
    });
  });

  it("the overview's heartbeat tile is red with the same functions, and counts the rest", async () => {
    const { health } = await opsOverview(operatorContextOf({}, { now }));
    expect(health.stale_heartbeats).toEqual(expectedStale);
    expect(health.heartbeats).toEqual({
      scheduled: SITUATIONS.length,
      on_time: 1,
      waiting_first_run: 1,
      paused: 1,
      stale: expectedStale.map((id) => ({
        function_id: id,
        never_succeeded: id === "hb-never-ran-past-grace",
        since: expect.any(String),
      })),
    });
  });

  it("readiness fails on the same functions, and GET /api/readyz answers 503", async () => {
    expect(await checkReadiness({ now, heartbeatRequired: true })).toMatchObject({
      ready: false,
      checks: { heartbeats: "failing" },
      staleHeartbeats: expectedStale,
    });
    const response = await readyz.GET(new Request("http://localhost:3000/api/readyz"), { params: Promise.resolve({}) });
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ checks: { heartbeats: "failing" }, stale_heartbeats: expectedStale });
  });

  it("the ops alert detector opens stale_heartbeat for the same functions, saying which never succeeded", async () => {
    const findings = (await detectOpsConditions(systemContextOf("ops-cockpit", now))).filter(
      (f) => f.kind === "stale_heartbeat",
    );
    expect(findings.map((f) => f.subject).sort()).toEqual(expectedStale);
    expect(findings.find((f) => f.subject === "hb-never-ran-past-grace")!.summary).toMatch(/has never succeeded/);
    expect(findings.find((f) => f.subject === "hb-ran-long-ago")!.summary).toMatch(/has not succeeded on schedule/);
  });

  it("the Prometheus gauge is 1 for the same functions and 0 for the others", async () => {
    registerDatabaseCollectors();
    const gauge = await metrics().registry.getSingleMetric("beacon_job_heartbeat_stale")!.get();
    const values = Object.fromEntries(gauge.values.map((v) => [v.labels.function, v.value]));
    expect(values).toEqual(Object.fromEntries(SITUATIONS.map((s) => [s.functionId, s.status === "stale" ? 1 : 0])));
  });

  it("once every function is healthy again, all views agree it is ready", async () => {
    const later = new Date(now.getTime() + 1000);
    for (const id of expectedStale)
      await recordHeartbeat({ functionId: id, runId: `run-${randomUUID()}`, expectedEveryMs: HOUR, at: later });
    expect((await opsOverview(operatorContextOf({}, { now: later }))).health.stale_heartbeats).toEqual([]);
    expect(await checkReadiness({ now: later, heartbeatRequired: true })).toMatchObject({
      ready: true,
      staleHeartbeats: [],
    });
    expect(
      (await detectOpsConditions(systemContextOf("ops-cockpit", later))).filter((f) => f.kind === "stale_heartbeat"),
    ).toEqual([]);
  });
});
