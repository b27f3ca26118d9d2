// Re-runs of event runs against Inngest's function idempotency (the fake evaluates each function's
// key expression as the server does): a re-run either starts a run or is refused with the reason.
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { db } from "@/db/client";
import { auditLog, jobRuns } from "@/db/schema";
import { inngest } from "@/inngest/client";
import { FUNCTIONS } from "@/inngest/functions";
import { dunning } from "@/inngest/functions/dunning";
import { appErrorOf } from "@/tests/app-error";
import { describeEachDatabase } from "@/tests/db";
import { startsAnotherRun } from "@/tests/fakes/inngest-idempotency";
import { fakeInngestForFile } from "@/tests/support/inngest";
import { rerunJob } from "./rerun";
import { executeRequest } from "@/tests/support/inngest-engine";
import { operatorContextOf } from "@/tests/support/factories";

const actor = operatorContextOf({ email: "ops@beacon.test" });

// An event function keyed the plain way: Inngest would drop any re-sent event for 24 h.
const keyedPlainly = inngest.createFunction(
  { id: "test-keyed-plainly", retries: 0, idempotency: "event.data.thing_id", triggers: [{ event: "test/keyed" }] },
  async ({ step }) => step.run("work", () => "done"),
);

const inngestApi = fakeInngestForFile();

async function runRow(runId: string) {
  const [row] = await db().select().from(jobRuns).where(eq(jobRuns.runId, runId));
  return row!;
}

describeEachDatabase("re-running runs of idempotent functions", () => {
  it("a dunning re-run gets past Inngest's idempotency (a real duplicate still does not) and the run it starts claims the queued row", async () => {
    const event = {
      name: "billing/invoice.payment_failed",
      data: { org_id: randomUUID(), invoice_id: `in_${randomUUID()}` },
      id: `stripe-evt_${randomUUID()}`,
    };
    const runId = `run-${randomUUID()}`;
    await executeRequest(dunning, event, { runId });
    const original = await runRow(runId);

    const sentBefore = inngestApi.events.length;
    const rerun = await rerunJob(actor, original.id, { functions: FUNCTIONS, send: (e) => inngest.send(e) });
    const sent = inngestApi.events.slice(sentBefore);
    expect(sent).toHaveLength(1);
    expect(startsAnotherRun(dunning, event, { name: sent[0]!.name, data: sent[0]!.data })).toBe(true);
    expect(startsAnotherRun(dunning, event, { ...event, id: `stripe-evt_${randomUUID()}` })).toBe(false);

    const newRunId = `run-${randomUUID()}`;
    await executeRequest(dunning, { name: sent[0]!.name, data: sent[0]!.data, id: sent[0]!.id! }, { runId: newRunId });
    const [claimed] = await db().select().from(jobRuns).where(eq(jobRuns.id, rerun.jobRunId));
    expect(claimed).toMatchObject({ runId: newRunId, status: "succeeded", trigger: "rerun", rerunOf: original.id });
  });

  it("every registered function with an idempotency key can be re-run", async () => {
    const idempotent = FUNCTIONS.filter((fn) => (fn.opts as { idempotency?: string }).idempotency);
    expect(idempotent.map((fn) => fn.opts.id)).toContain("dunning");
    for (const fn of idempotent) {
      const runId = `run-${randomUUID()}`;
      const [row] = await db()
        .insert(jobRuns)
        .values({
          functionId: fn.opts.id,
          runId,
          trigger: "event",
          eventName: "any/event",
          eventId: `evt-${randomUUID()}`,
          eventPayload: {},
          status: "failed",
        })
        .returning({ id: jobRuns.id });
      await expect(
        rerunJob(actor, row!.id, { functions: FUNCTIONS, send: () => Promise.resolve() }),
        fn.opts.id,
      ).resolves.toMatchObject({ status: "queued" });
    }
  });

  it("a function whose idempotency would drop the re-sent event refuses the re-run with the reason: nothing sent, queued or audited", async () => {
    const event = { name: "test/keyed", data: { thing_id: "t-1" }, id: `evt-${randomUUID()}` };
    const runId = `run-${randomUUID()}`;
    await executeRequest(keyedPlainly, event, { runId });
    const original = await runRow(runId);
    expect(startsAnotherRun(keyedPlainly, event, { ...event, id: `rerun-${randomUUID()}` })).toBe(false);

    const sentBefore = inngestApi.events.length;
    const error = await appErrorOf(
      rerunJob(actor, original.id, { functions: [...FUNCTIONS, keyedPlainly], send: (e) => inngest.send(e) }),
    );
    expect(error.code).toBe("conflict");
    expect(error.message).toMatch(/idempotency.*event\.data\.thing_id/);
    expect(inngestApi.events.length).toBe(sentBefore);
    expect(await db().select().from(jobRuns).where(eq(jobRuns.rerunOf, original.id))).toEqual([]);
    expect(await db().select().from(auditLog).where(eq(auditLog.targetId, original.id))).toEqual([]);
  });
});
