// The reminder sweep wired into Inngest: the real SDK execution engine, a real database, and the
// run-tracking middleware's record. The sweep's own rules are tested in lib/pipeline.
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { db } from "@/db/client";
import { jobRuns, outboxEvents } from "@/db/schema";
import { insertOpportunity, makeOrg, contextOf } from "@/tests/support/factories";
import { fakeInngestForFile } from "@/tests/support/inngest";
import { executeRequest } from "@/tests/support/inngest-engine";
import { trackNotice } from "@/lib/pipeline";
import { describeEachDatabase } from "@/tests/db";
import { deadlineReminders } from "./deadline-reminders";
import { describeFunction } from "./index";

fakeInngestForFile();

it("is registered as an hourly cron", () => {
  expect(describeFunction(deadlineReminders)).toMatchObject({
    id: "deadline-reminders",
    cron: "40 * * * *",
    scheduled: true,
  });
});

describeEachDatabase("deadline-reminders function", () => {
  it("one cron run queues the reminder due at its tick through its step; a replay of the tick queues nothing more", async () => {
    // The run reads the tick's timestamp, not the clock: the deadline is due a day after this tick, years from now.
    const tick = new Date("2033-02-01T09:40:00Z");
    const org = await makeOrg("starter", "Cron Co");
    const noticeId = await insertOpportunity({
      createdAt: new Date(tick.getTime() - 86_400_000),
      title: "Due the day after the tick",
      responseDeadline: new Date(tick.getTime() + 86_400_000),
    });
    await trackNotice(contextOf(org.orgId, org.owner, new Date(tick.getTime() - 3_600_000)), { notice_id: noticeId });
    const event = () => ({
      name: "inngest/scheduled.timer",
      data: { cron: "40 * * * *" },
      id: `cron-${randomUUID()}`,
      ts: tick.getTime(),
    });

    const runId = `run-${randomUUID()}`;
    const first = await executeRequest(deadlineReminders, event(), { runId });
    expect(first.error).toBeUndefined();
    expect(first.result).toMatchObject({ emailed: 1 });
    const [run] = await db().select().from(jobRuns).where(eq(jobRuns.runId, runId));
    expect(run).toMatchObject({ functionId: "deadline-reminders", status: "succeeded" });

    const second = await executeRequest(deadlineReminders, event(), { runId: `run-${randomUUID()}` });
    expect(second.result).toMatchObject({ emailed: 0 });
    const queued = await db()
      .select({ to: outboxEvents.payload })
      .from(outboxEvents)
      .where(and(eq(outboxEvents.orgId, org.orgId), eq(outboxEvents.kind, "email")));
    expect(queued.map((r) => r.to.to)).toEqual([org.ownerEmail]);
  });
});
