import { asc, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { jobEvents, jobHeartbeats, jobRuns } from "@/db/schema";
import { inngest } from "@/inngest/client";
import { heartbeat } from "@/inngest/functions/heartbeat";
import { deliverOutboxNow, enqueueEvents } from "@/lib/outbox";
import { describeEachDatabase } from "@/tests/db";
import { perTestEnv } from "@/tests/env";
import { RERUN_MARKER, rerunnableIdempotency } from "./idempotency";
import { LocalExecutor, LocalExecutorRefusedError, activeLocalExecutor, evaluateKey } from "./local-executor";
import { SCHEDULED_EVENT_NAME } from "./runs";

// Functions that exist only here: real definitions on the real client, so the run-tracking and
// event-dispatch middleware run as they do for the registered functions.
const echoed: string[] = [];
const echo = inngest.createFunction(
  { id: "test-local-echo", retries: 0, triggers: [{ event: "test/local.echo" }] },
  async ({ event, step }) => {
    const said = await step.run("say", () => {
      const says = String((event.data as { says?: string }).says);
      echoed.push(says);
      return says;
    });
    // An event sent from inside a run reaches its function too (step.sendEvent → the executor).
    if (said === "chain")
      await step.sendEvent("pass-on", { name: "test/local.echo", id: "local-echo-chained", data: { says: "chained" } });
    return { said };
  },
);

let brokenCalls = 0;
const broken = inngest.createFunction(
  { id: "test-local-broken", retries: 2, triggers: [{ event: "test/local.broken" }] },
  async ({ step }) =>
    step.run("always-fails", () => {
      brokenCalls += 1;
      throw new Error("still broken locally");
    }),
);

/** A gate the test opens: runs that reach it wait there. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}
let slowGate = gate();
const slowEntries: string[] = [];
let entered: (() => void) | null = null;
const slowCron = inngest.createFunction(
  {
    id: "test-local-slow",
    retries: 0,
    triggers: [{ cron: "* * * * *" }, { event: "test/local.slow" }],
    concurrency: { key: "event.data.org_id", limit: 1 },
  },
  async ({ event, step }) =>
    step.run("wait-for-gate", async () => {
      slowEntries.push(String((event.data as { org_id?: string }).org_id ?? "tick"));
      entered?.();
      await slowGate.opened;
      return "done";
    }),
);

const onceInvoices: string[] = [];
const oncePerInvoice = inngest.createFunction(
  {
    id: "test-local-once",
    retries: 0,
    triggers: [{ event: "test/local.once" }],
    idempotency: rerunnableIdempotency("event.data.invoice_id"),
  },
  async ({ event, step }) =>
    step.run("note", () => void onceInvoices.push(String((event.data as { invoice_id?: string }).invoice_id))),
);

/** The app's send path: events written to the outbox in a transaction, delivered after it commits. */
async function send(events: { name: string; id: string; data: Record<string, unknown> }[]) {
  const queued = await db().transaction((tx) => enqueueEvents(tx, events));
  const delivered = await deliverOutboxNow(queued.filter((q) => q.created).map((q) => q.id));
  return { sent: delivered.delivered };
}

async function runsOf(functionId: string) {
  return db().select().from(jobRuns).where(eq(jobRuns.functionId, functionId)).orderBy(asc(jobRuns.createdAt));
}

let executor: LocalExecutor | null = null;
afterEach(async () => {
  slowGate.open();
  await executor?.stop();
  executor = null;
});

describeEachDatabase("in-process executor", () => {
  it("a cron tick runs the scheduled function once, recorded with trigger local, and moves its heartbeat", async () => {
    executor = new LocalExecutor({ functions: [heartbeat], now: () => new Date("2026-04-24T10:00:30Z") });
    executor.tick(new Date("2026-04-24T10:00:50Z")); // same minute: nothing is due yet
    await executor.idle();
    expect(await runsOf("heartbeat")).toHaveLength(0);

    executor.tick(new Date("2026-04-24T10:01:05Z"));
    await executor.idle();
    const runs = await runsOf("heartbeat");
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      trigger: "local",
      status: "succeeded",
      eventName: SCHEDULED_EVENT_NAME,
      runId: expect.stringMatching(/^local-/),
    });
    const [beat] = await db().select().from(jobHeartbeats).where(eq(jobHeartbeats.functionId, "heartbeat"));
    expect(beat?.lastRunId).toBe(runs[0]!.runId);

    // Ten minutes asleep fire one catch-up run, not ten.
    executor.tick(new Date("2026-04-24T10:11:00Z"));
    await executor.idle();
    expect(await runsOf("heartbeat")).toHaveLength(2);
  });

  it("a tick of a paused function is recorded as skipped and does nothing", async () => {
    await db()
      .update(jobHeartbeats)
      .set({ pausedAt: new Date("2026-04-24T09:00:00Z") })
      .where(eq(jobHeartbeats.functionId, "heartbeat"));
    executor = new LocalExecutor({ functions: [heartbeat], now: () => new Date("2026-04-24T11:00:30Z") });
    executor.tick(new Date("2026-04-24T11:01:00Z"));
    await executor.idle();
    const last = (await runsOf("heartbeat")).at(-1);
    expect(last).toMatchObject({
      trigger: "local",
      status: "cancelled",
      error: expect.stringMatching(/^Skipped: heartbeat is paused/),
    });
    await db().update(jobHeartbeats).set({ pausedAt: null }).where(eq(jobHeartbeats.functionId, "heartbeat"));
  });

  it("an event sent through the app's send path reaches its function, and events it sends reach theirs", async () => {
    executor = new LocalExecutor({ functions: [echo, broken] }).start();
    expect(activeLocalExecutor()).toBe(executor);
    echoed.length = 0;
    expect(await send([{ name: "test/local.echo", id: "local-echo-1", data: { says: "chain" } }])).toEqual({ sent: 1 });
    await executor.idle();
    expect(echoed).toEqual(["chain", "chained"]);
    const runs = await runsOf("test-local-echo");
    expect(runs.map((r) => [r.eventId, r.trigger, r.status])).toEqual([
      ["local-echo-1", "local", "succeeded"],
      ["local-echo-chained", "local", "succeeded"],
    ]);

    // The same event id again is dropped, as Inngest drops it.
    await send([{ name: "test/local.echo", id: "local-echo-1", data: { says: "chain" } }]);
    await executor.idle();
    expect(await runsOf("test-local-echo")).toHaveLength(2);
  });

  it("runs an idempotent function once per key, and again for an operator re-run", async () => {
    executor = new LocalExecutor({ functions: [oncePerInvoice] }).start();
    onceInvoices.length = 0;
    await send([
      { name: "test/local.once", id: "once-1", data: { invoice_id: "in_1" } },
      { name: "test/local.once", id: "once-2", data: { invoice_id: "in_1" } },
      { name: "test/local.once", id: "once-3", data: { invoice_id: "in_2" } },
      { name: "test/local.once", id: "once-4", data: { invoice_id: "in_1", [RERUN_MARKER]: "rerun-1" } },
    ]);
    await executor.idle();
    expect(onceInvoices.sort()).toEqual(["in_1", "in_1", "in_2"]);
  });

  it("a failing step is retried up to the function's retries, then the run is recorded failed", async () => {
    executor = new LocalExecutor({ functions: [broken], retryDelayMs: () => 0 }).start();
    brokenCalls = 0;
    await send([{ name: "test/local.broken", id: "local-broken-1", data: {} }]);
    await executor.idle();
    expect(brokenCalls).toBe(3);
    const [run] = await runsOf("test-local-broken");
    expect(run).toMatchObject({
      trigger: "local",
      status: "failed",
      attempt: 2,
      error: expect.stringMatching(/still broken locally/),
    });
    const failures = await db().select().from(jobEvents).where(eq(jobEvents.jobRunId, run!.id));
    expect(failures.filter((e) => e.kind === "step.failed").map((e) => e.attempt)).toEqual([0, 1, 2]);
    expect(failures.some((e) => e.kind === "run.failed")).toBe(true);
  });

  it("does not start a cron tick while the previous one still runs", async () => {
    slowGate = gate();
    slowEntries.length = 0;
    executor = new LocalExecutor({ functions: [slowCron], now: () => new Date("2026-04-24T10:00:00Z") });
    const first = new Promise<void>((resolve) => (entered = resolve));
    executor.tick(new Date("2026-04-24T10:01:00Z"));
    await first;
    executor.tick(new Date("2026-04-24T10:02:00Z")); // the 10:01 run is still at the gate
    slowGate.open();
    await executor.idle();
    expect(slowEntries).toEqual(["tick"]);
    expect(await runsOf("test-local-slow")).toHaveLength(1);
  });

  it("runs one at a time per concurrency key, other keys alongside", async () => {
    slowGate = gate();
    slowEntries.length = 0;
    executor = new LocalExecutor({ functions: [slowCron] }).start();
    let entries = 0;
    const twoEntered = new Promise<void>((resolve) => (entered = () => ++entries === 2 && resolve()));
    await send([
      { name: "test/local.slow", id: "slow-a1", data: { org_id: "a" } },
      { name: "test/local.slow", id: "slow-a2", data: { org_id: "a" } },
      { name: "test/local.slow", id: "slow-b1", data: { org_id: "b" } },
    ]);
    await twoEntered;
    // Org b's run got in beside org a's first one; a's second waits for a's first to finish.
    expect([...slowEntries].sort()).toEqual(["a", "b"]);
    slowGate.open();
    await executor.idle();
    expect(slowEntries).toHaveLength(3);
    const runs = (await runsOf("test-local-slow")).filter((r) => r.eventName === "test/local.slow");
    expect(runs.map((r) => r.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
  });
});

describe("evaluateKey", () => {
  const event = (data: Record<string, unknown>) => ({ name: "x", id: "e", data });
  it("reads event.data paths and the re-run form of idempotency keys; null for what it cannot read", () => {
    expect(evaluateKey("event.data.org_id", event({ org_id: "o1" }))).toBe('"o1"');
    expect(evaluateKey("event.data.a.b", event({ a: { b: 2 } }))).toBe("2");
    const key = rerunnableIdempotency("event.data.invoice_id");
    expect(evaluateKey(key, event({ invoice_id: "in_1" }))).toBe('"in_1"');
    expect(evaluateKey(key, event({ invoice_id: "in_1", [RERUN_MARKER]: "r9" }))).toBe('"r9"');
    expect(evaluateKey("event.data.a + event.data.b", event({ a: 1 }))).toBeNull();
    expect(evaluateKey(undefined, event({}))).toBeNull();
  });
});

describe("in-process executor in production", () => {
  const setEnv = perTestEnv();
  it("refuses to start: production needs Inngest", () => {
    setEnv({ NODE_ENV: "production" });
    expect(() => new LocalExecutor({ functions: [heartbeat] })).toThrow(LocalExecutorRefusedError);
    expect(activeLocalExecutor()).toBeNull();
  });
});
