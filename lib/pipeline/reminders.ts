import { and, asc, eq, gt, inArray, lte, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { memberships, opportunities, organizations, pipelineSettings, trackedOpportunities, users } from "@/db/schema";
import { inOrg, type SystemContext } from "@/lib/context";
import { appUrl } from "@/lib/env";
import { deliverOutboxNow, enqueueOutbox } from "@/lib/outbox";
import { formatDateTime } from "@/lib/format";
import { pipelinePlans } from "./access";
import { DEFAULT_REMINDER_DAYS, OPEN_STAGES, STAGE_LABELS, type PipelineStage } from "./schemas";

/** Reminders handled per run; the rest wait for the next run (hourly), nothing is lost. */
export const REMINDER_BATCH = 500;

export interface ReminderCandidate {
  id: string;
  orgId: string;
  orgName: string;
  noticeId: string;
  stage: PipelineStage;
  assigneeId: string | null;
  createdBy: string | null;
  title: string;
  deadline: Date;
}

/**
 * Tracked notices in an open stage whose response deadline is within the org's reminder lead
 * time and not yet reminded for THIS deadline value, in orgs whose plan includes the pipeline.
 * Cross-org by nature (a system sweep), so it reads as the system role; each reminder is then
 * written inside its org's tenant transaction.
 */
export async function findDueReminders(
  ctx: SystemContext,
  { limit = REMINDER_BATCH }: { limit?: number } = {},
): Promise<ReminderCandidate[]> {
  return dueReminders(ctx, ctx.now(), limit);
}

async function dueReminders(ctx: SystemContext, now: Date, limit: number): Promise<ReminderCandidate[]> {
  const days = sql`coalesce(${pipelineSettings.reminderDays}, ${DEFAULT_REMINDER_DAYS})`;
  const rows = await ctx.transaction((tx) =>
    tx
      .select({
        id: trackedOpportunities.id,
        orgId: trackedOpportunities.orgId,
        orgName: organizations.name,
        noticeId: trackedOpportunities.noticeId,
        stage: trackedOpportunities.stage,
        assigneeId: trackedOpportunities.assigneeId,
        createdBy: trackedOpportunities.createdBy,
        title: opportunities.title,
        deadline: opportunities.responseDeadline,
      })
      .from(trackedOpportunities)
      .innerJoin(opportunities, eq(opportunities.noticeId, trackedOpportunities.noticeId))
      .innerJoin(organizations, eq(organizations.id, trackedOpportunities.orgId))
      .leftJoin(pipelineSettings, eq(pipelineSettings.orgId, trackedOpportunities.orgId))
      .where(
        and(
          inArray(organizations.plan, pipelinePlans()),
          inArray(trackedOpportunities.stage, [...OPEN_STAGES]),
          gt(opportunities.responseDeadline, now),
          sql`${days} > 0`,
          lte(opportunities.responseDeadline, sql`${now.toISOString()}::timestamptz + ${days} * interval '1 day'`),
          // Milliseconds on both sides: the stored mark comes from a JS Date.
          sql`date_trunc('milliseconds', ${trackedOpportunities.remindedDeadline}) is distinct from date_trunc('milliseconds', ${opportunities.responseDeadline})`,
        ),
      )
      .orderBy(asc(opportunities.responseDeadline), asc(trackedOpportunities.id))
      .limit(limit),
  );
  return rows.map((row) => ({ ...row, deadline: row.deadline! }));
}

/** The assignee; unassigned (or no longer a member), whoever tracked it; failing both, the owners. */
async function recipientsOf(tx: Tx, c: ReminderCandidate): Promise<{ id: string; email: string }[]> {
  const members = await tx
    .select({ id: users.id, email: users.email, role: memberships.role })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.orgId, c.orgId));
  for (const wanted of [c.assigneeId, c.createdBy]) {
    const member = wanted ? members.find((m) => m.id === wanted) : undefined;
    if (member) return [member];
  }
  return members.filter((m) => m.role === "owner");
}

function daysLeft(deadline: Date, now: Date) {
  return Math.max(0, Math.ceil((deadline.getTime() - now.getTime()) / 86_400_000));
}

/**
 * One reminder, in one tenant transaction: marking the tracked notice reminded for this deadline
 * (a conditional update, so a concurrent run cannot send it twice) and queuing its e-mail commit
 * together. The outbox dedupe key names the deadline too: a moved deadline is a new reminder.
 */
async function sendReminder(ctx: SystemContext, c: ReminderCandidate, now: Date): Promise<string[]> {
  return inOrg(ctx, c.orgId).transaction(async (tx) => {
    const claimed = await tx
      .update(trackedOpportunities)
      .set({ remindedDeadline: c.deadline })
      .where(
        and(
          eq(trackedOpportunities.id, c.id),
          inArray(trackedOpportunities.stage, [...OPEN_STAGES]),
          sql`${trackedOpportunities.remindedDeadline} is distinct from ${c.deadline.toISOString()}::timestamptz`,
        ),
      )
      .returning({ id: trackedOpportunities.id });
    if (claimed.length === 0) return [];
    const link = `${appUrl()}/opportunities/${encodeURIComponent(c.noticeId)}`;
    const left = daysLeft(c.deadline, now);
    const due = formatDateTime(c.deadline);
    const ids: string[] = [];
    for (const to of await recipientsOf(tx, c)) {
      const queued = await enqueueOutbox(tx, {
        kind: "email",
        orgId: c.orgId,
        dedupeKey: `pipeline-reminder:${c.id}:${c.deadline.toISOString()}:${to.id}`,
        payload: {
          kind: "pipeline_deadline_reminder",
          to: to.email,
          subject: `Due in ${left} ${left === 1 ? "day" : "days"}: ${c.title}`.slice(0, 500),
          text: [
            `Responses to "${c.title}" are due ${due}.`,
            ``,
            `${c.orgName} tracks it in its pipeline (stage: ${STAGE_LABELS[c.stage]}).`,
            `Open the notice: ${link}`,
            ``,
            `Pipeline: ${appUrl()}/pipeline`,
            `Owners and admins set how many days ahead reminders go out on the Pipeline page.`,
          ].join("\n"),
        },
      });
      if (queued.created) ids.push(queued.id);
    }
    return ids;
  });
}

export interface ReminderRunSummary {
  due: number;
  emailed: number;
}

/**
 * The hourly reminder sweep: claims, queues and then delivers each due reminder once. The
 * reminders are e-mails in the outbox, not events: delivered by id once their claims commit.
 */
export async function runDeadlineReminders(
  ctx: SystemContext,
  { limit = REMINDER_BATCH }: { limit?: number } = {},
): Promise<ReminderRunSummary> {
  const now = ctx.now();
  const due = await dueReminders(ctx, now, limit);
  const queued: string[] = [];
  for (const candidate of due) queued.push(...(await sendReminder(ctx, candidate, now)));
  await deliverOutboxNow(queued);
  return { due: due.length, emailed: queued.length };
}
