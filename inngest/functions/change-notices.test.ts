// The "what changed" sweep wired into Inngest: the real SDK execution engine, a real database, and
// the run-tracking middleware's record. The sweep's own rules are tested in lib/pipeline.
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { db } from "@/db/client";
import { jobRuns, outboxEvents } from "@/db/schema";
import { makeOrg, contextOf } from "@/tests/support/factories";
import { fakeInngestForFile } from "@/tests/support/inngest";
import { executeRequest } from "@/tests/support/inngest-engine";
import { upsertOpportunities } from "@/lib/opportunities";
import { trackNotice } from "@/lib/pipeline";
import { fromApi, runway, runwayAmended } from "@/tests/fixtures/amended-notices";
import { describeEachDatabase } from "@/tests/db";
import { changeNotices } from "./change-notices";
import { describeFunction } from "./index";

fakeInngestForFile();

it("is registered as an hourly cron", () => {
  expect(describeFunction(changeNotices)).toMatchObject({ id: "change-notices", cron: "10 * * * *", scheduled: true });
});

describeEachDatabase("change-notices function", () => {
  it("one cron run mails the hour before its tick's change of a tracked notice; a replay of the tick mails nothing more", async () => {
    // The run reads the tick's timestamp, not the clock: this tick is years away from now.
    const tick = new Date("2032-05-06T11:10:00Z");
    const changedAt = new Date("2032-05-06T10:30:00Z");
    await upsertOpportunities([fromApi(runway)], new Date(changedAt.getTime() - 20 * 60_000));
    const org = await makeOrg("starter", "Cron Co");
    await trackNotice(contextOf(org.orgId, org.owner, new Date(changedAt.getTime() - 10 * 60_000)), {
      notice_id: runway.noticeId as string,
    });
    await upsertOpportunities([fromApi(runwayAmended)], changedAt);
    const event = () => ({
      name: "inngest/scheduled.timer",
      data: { cron: "10 * * * *" },
      id: `cron-${randomUUID()}`,
      ts: tick.getTime(),
    });

    const runId = `run-${randomUUID()}`;
    const first = await executeRequest(changeNotices, event(), { runId });
    expect(first.error).toBeUndefined();
    expect(first.result).toMatchObject({ changes: 1, emailed: 1 });
    const [run] = await db().select().from(jobRuns).where(eq(jobRuns.runId, runId));
    expect(run).toMatchObject({ functionId: "change-notices", status: "succeeded" });

    const second = await executeRequest(changeNotices, event(), { runId: `run-${randomUUID()}` });
    expect(second.result).toMatchObject({ changes: 1, emailed: 0 });
    const queued = await db()
      .select({ payload: outboxEvents.payload, dedupeKey: outboxEvents.dedupeKey })
      .from(outboxEvents)
      .where(and(eq(outboxEvents.orgId, org.orgId), eq(outboxEvents.kind, "email")));
    expect(queued.map((r) => r.payload.to)).toEqual([org.ownerEmail]);
    // The window is the tick's hour before, named in the e-mail's dedupe key.
    expect(queued[0]!.dedupeKey).toMatch(/:2032-05-06T11:00:00\.000Z$/);
  });
});
