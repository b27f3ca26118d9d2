// The "what changed" sweep wired into Inngest: the real SDK execution engine, a real database, and
// the run-tracking middleware's record. The sweep's own rules are tested in lib/pipeline.
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { db } from "@/db/client";
import { jobRuns, outboxEvents } from "@/db/schema";
import { inngest } from "@/inngest/client";
import { makeOrg } from "@/tests/support/factories";
import { startFakeInngestServer, type FakeInngestServer } from "@/tests/fakes/inngest-server";
import { executeRequest } from "@/tests/support/inngest-engine";
import { upsertOpportunities } from "@/lib/opportunities";
import { CHANGE_WINDOW_MS, trackNotice } from "@/lib/pipeline";
import { fromApi, runway, runwayAmended } from "@/tests/fixtures/amended-notices";
import { describeEachDatabase } from "@/tests/db";
import { changeNotices } from "./change-notices";
import { describeFunction } from "./index";

let inngestApi: FakeInngestServer;
beforeAll(async () => {
  inngestApi = await startFakeInngestServer();
  inngest.setEnvVars({ INNGEST_BASE_URL: inngestApi.url, INNGEST_DEV: "1" });
});
afterAll(() => inngestApi.close());

it("is registered as an hourly cron", () => {
  expect(describeFunction(changeNotices)).toMatchObject({ id: "change-notices", cron: "10 * * * *", scheduled: true });
});

describeEachDatabase("change-notices function", () => {
  it("one cron run mails the last closed hour's change of a tracked notice; the next run mails nothing more", async () => {
    // The middle of the window that closed (and settled) before now: the run reads the real clock.
    const settledEnd = Math.floor((Date.now() - 10 * 60_000) / CHANGE_WINDOW_MS) * CHANGE_WINDOW_MS;
    const changedAt = new Date(settledEnd - CHANGE_WINDOW_MS / 2);
    await upsertOpportunities([fromApi(runway)], new Date(changedAt.getTime() - 20 * 60_000));
    const org = await makeOrg("starter", "Cron Co");
    await trackNotice(
      org.orgId,
      org.owner,
      { notice_id: runway.noticeId as string },
      new Date(changedAt.getTime() - 10 * 60_000),
    );
    await upsertOpportunities([fromApi(runwayAmended)], changedAt);
    const event = () => ({ name: "inngest/scheduled.timer", data: { cron: "10 * * * *" }, id: `cron-${randomUUID()}` });

    const runId = `run-${randomUUID()}`;
    const first = await executeRequest(changeNotices, event(), { runId });
    expect(first.error).toBeUndefined();
    expect(first.result).toMatchObject({ changes: 1, emailed: 1 });
    const [run] = await db().select().from(jobRuns).where(eq(jobRuns.runId, runId));
    expect(run).toMatchObject({ functionId: "change-notices", status: "succeeded" });

    const second = await executeRequest(changeNotices, event(), { runId: `run-${randomUUID()}` });
    expect(second.result).toMatchObject({ emailed: 0 });
    const queued = await db()
      .select({ to: outboxEvents.payload })
      .from(outboxEvents)
      .where(and(eq(outboxEvents.orgId, org.orgId), eq(outboxEvents.kind, "email")));
    expect(queued.map((r) => r.to.to)).toEqual([org.ownerEmail]);
  });
});
