import { randomUUID } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { db } from "@/db/client";
import { withSystem, withTenant } from "@/db/tenant";
import { auditLog, emailMessages, memberships, opportunities, outboxEvents } from "@/db/schema";
import { addMember, insertOpportunity, makeOrg, contextOf, systemContextOf } from "@/tests/support/factories";
import { createUserWithOrganization } from "@/lib/auth";
import type { PlanId } from "@/lib/plans";
import { describeEachDatabase, describeEachDatabaseAsApp } from "@/tests/db";
import {
  calendarFeedIcs,
  createCalendarFeed,
  revokeCalendarFeed,
  runDeadlineReminders,
  trackNotice,
  updatePipelineSettings,
  updateTracked,
  type PipelineStage,
} from "./index";

const DAY = 86_400_000;
// Each test has its own clock, a year apart, so one test's deadlines are never due in another's run.
let year = 2033;
const clock = () => new Date(`${year++}-02-01T08:00:00Z`);
const plus = (from: Date, days: number) => new Date(from.getTime() + days * DAY);

/** The reminder e-mails queued for an org, oldest first. */
async function reminders(orgId: string) {
  const rows = await db()
    .select({ payload: outboxEvents.payload, dedupeKey: outboxEvents.dedupeKey, status: outboxEvents.status })
    .from(outboxEvents)
    .where(and(eq(outboxEvents.orgId, orgId), eq(outboxEvents.kind, "email")))
    .orderBy(asc(outboxEvents.createdAt), asc(outboxEvents.id));
  return rows
    .filter((r) => r.payload.kind === "pipeline_deadline_reminder")
    .map((r) => ({
      to: r.payload.to as string,
      subject: r.payload.subject as string,
      key: r.dedupeKey,
      status: r.status,
    }));
}

async function trackedWithDeadline(plan: PlanId, now: Date, deadlineInDays: number, stage: PipelineStage = "watching") {
  const org = await makeOrg(plan, "Reminder Co");
  const noticeId = await insertOpportunity({
    createdAt: plus(now, -5),
    title: "Grounds maintenance, Camp Lejeune",
    responseDeadline: plus(now, deadlineInDays),
  });
  const { tracked } = await trackNotice(contextOf(org.orgId, org.owner, now), { notice_id: noticeId, stage });
  return { ...org, noticeId, trackedId: tracked.id };
}

describeEachDatabase("pipeline deadline reminders", () => {
  it("e-mails the assignee once per deadline; a moved deadline reminds again", async () => {
    const now = clock();
    const org = await trackedWithDeadline("starter", now, 2);
    const member = await addMember(org.orgId, "member");
    await updateTracked(contextOf(org.orgId, org.owner, now), org.trackedId, { assignee_id: member.actor.userId });

    // Four days out with the default three-day lead time: not yet.
    await db()
      .update(opportunities)
      .set({ responseDeadline: plus(now, 4) })
      .where(eq(opportunities.noticeId, org.noticeId));
    await runDeadlineReminders(systemContextOf("reminders", now));
    expect(await reminders(org.orgId)).toEqual([]);

    const due = plus(now, 2);
    await db().update(opportunities).set({ responseDeadline: due }).where(eq(opportunities.noticeId, org.noticeId));
    await runDeadlineReminders(systemContextOf("reminders", now));
    await runDeadlineReminders(systemContextOf("reminders", plus(now, 0.5)));
    const first = await reminders(org.orgId);
    expect(first).toEqual([
      {
        to: member.email,
        subject: "Due in 2 days: Grounds maintenance, Camp Lejeune",
        key: `pipeline-reminder:${org.trackedId}:${due.toISOString()}:${member.actor.userId}`,
        status: "delivered",
      },
    ]);
    const [sent] = await db().select().from(emailMessages).where(eq(emailMessages.toAddress, member.email));
    expect(sent?.textBody).toContain(`/opportunities/${org.noticeId}`);

    // The agency moves the deadline: the new date gets its own reminder, once.
    const moved = plus(now, 1);
    await db().update(opportunities).set({ responseDeadline: moved }).where(eq(opportunities.noticeId, org.noticeId));
    await runDeadlineReminders(systemContextOf("reminders", plus(now, 0.6)));
    await runDeadlineReminders(systemContextOf("reminders", plus(now, 0.7)));
    const after = await reminders(org.orgId);
    expect(after).toHaveLength(2);
    expect(after[1]).toMatchObject({ to: member.email, key: expect.stringContaining(moved.toISOString()) });
  });

  it("unassigned, the member who tracked it gets the reminder", async () => {
    const now = clock();
    const org = await makeOrg("pro", "Tracker Co");
    const member = await addMember(org.orgId, "member");
    const noticeId = await insertOpportunity({
      createdAt: now,
      title: "Unassigned notice",
      responseDeadline: plus(now, 1),
    });
    await trackNotice(contextOf(org.orgId, member.actor, now), { notice_id: noticeId });
    await runDeadlineReminders(systemContextOf("reminders", now));
    expect((await reminders(org.orgId)).map((r) => r.to)).toEqual([member.email]);

    // The tracker left the org: the owners hear about the next deadline instead.
    await db().delete(memberships).where(eq(memberships.userId, member.actor.userId));
    await db()
      .update(opportunities)
      .set({ responseDeadline: plus(now, 2) })
      .where(eq(opportunities.noticeId, noticeId));
    await runDeadlineReminders(systemContextOf("reminders", now));
    expect((await reminders(org.orgId)).map((r) => r.to)).toEqual([member.email, org.ownerEmail]);
  });

  it("no reminder for closed stages, past deadlines, reminders turned off, or a plan without the pipeline", async () => {
    const now = clock();
    const closed = [];
    for (const stage of ["submitted", "won", "lost", "no_bid"] as const)
      closed.push(await trackedWithDeadline("starter", now, 1, stage));
    const bidding = await trackedWithDeadline("starter", now, 1, "bidding");
    const past = await trackedWithDeadline("starter", now, -1);
    const off = await trackedWithDeadline("starter", now, 1);
    await updatePipelineSettings(contextOf(off.orgId, off.owner, now), { reminder_days: 0 });
    const longLead = await trackedWithDeadline("starter", now, 9);
    await updatePipelineSettings(contextOf(longLead.orgId, longLead.owner, now), { reminder_days: 10 });
    const lapsed = await trackedWithDeadline("starter", now, 1);
    // Billing downgraded the org (organizations.plan is what billing last decided).
    await db().execute(sql`update organizations set plan = 'free' where id = ${lapsed.orgId}`);

    await runDeadlineReminders(systemContextOf("reminders", now));
    for (const org of [...closed, past, off, lapsed]) expect(await reminders(org.orgId)).toEqual([]);
    expect(await reminders(bidding.orgId)).toHaveLength(1);
    expect(await reminders(longLead.orgId)).toHaveLength(1);

    // Moving a closed one back to an open stage makes it due again.
    const reopened = closed[0]!;
    await updateTracked(contextOf(reopened.orgId, reopened.owner, now), reopened.trackedId, { stage: "bidding" });
    await runDeadlineReminders(systemContextOf("reminders", now));
    expect(await reminders(reopened.orgId)).toHaveLength(1);
  });
});

/**
 * As the app's own role: the sweep finds due reminders across orgs as the system role and writes
 * each in its org's transaction; a user's calendar feed is written and read as the accounts work.
 */
describeEachDatabaseAsApp("pipeline reminders and calendar feed under row-level security", () => {
  it("finds a due reminder across orgs, queues and sends it once, and the owner's feed lists the deadline", async () => {
    const now = clock();
    const tag = randomUUID().slice(0, 8);
    const owner = await createUserWithOrganization({
      name: "Rita",
      email: `rita-${tag}@rls.test`,
      passwordHash: "x",
      organizationName: "Reminder Co",
      plan: "starter",
      sendVerification: false,
    });
    const noticeId = await insertOpportunity({ createdAt: plus(now, -5), responseDeadline: plus(now, 2) });
    await trackNotice(contextOf(owner.orgId, { userId: owner.userId, role: "owner" }, now), { notice_id: noticeId });
    expect(await runDeadlineReminders(systemContextOf("reminders", now))).toEqual({ due: 1, emailed: 1 });
    expect(await runDeadlineReminders(systemContextOf("reminders", plus(now, 0.5)))).toEqual({ due: 0, emailed: 0 });
    const queued = await withTenant(owner.orgId, (tx) =>
      tx.select({ to: outboxEvents.payload, status: outboxEvents.status }).from(outboxEvents),
    );
    expect(queued.filter((q) => q.to.kind === "pipeline_deadline_reminder")).toMatchObject([
      { to: { to: `rita-${tag}@rls.test` }, status: "delivered" },
    ]);

    const actor = { userId: owner.userId, role: "owner" as const };
    const feed = await createCalendarFeed(contextOf(owner.orgId, actor, now));
    expect(await calendarFeedIcs(feed.token, now)).toContain(noticeId);
    expect(await revokeCalendarFeed(owner.userId, now)).toEqual({ revoked: true });
    const trail = await withSystem("accounts", (tx) =>
      tx.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.targetId, owner.userId)),
    );
    expect(trail.map((a) => a.action).sort()).toEqual([
      "pipeline.calendar_feed.created",
      "pipeline.calendar_feed.revoked",
    ]);
  });
});
