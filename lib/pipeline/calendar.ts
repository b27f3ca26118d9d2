import { and, asc, eq, inArray, isNotNull } from "drizzle-orm";
import { db } from "@/db/client";
import { calendarFeeds, memberships, opportunities, organizations, trackedOpportunities, users } from "@/db/schema";
import { withSystem, withTenant } from "@/db/tenant";
import { recordAudit } from "@/lib/audit";
import { appUrl } from "@/lib/env";
import { AppError } from "@/lib/http";
import { assertCan, randomToken, sha256 } from "@/lib/orgs";
import { assertPipelineIncluded, pipelinePlans } from "./access";
import { renderCalendar, type CalendarEvent } from "./ics";
import type { PipelineContext } from "./pipeline";
import { OPEN_STAGES, STAGE_LABELS } from "./schemas";

export const CALENDAR_TOKEN_PREFIX = "bcal_";
const TOKEN_SHAPE = /^bcal_[A-Za-z0-9_-]{43}$/;

export function calendarFeedPath(token: string) {
  return `/api/calendar/${token}.ics`;
}

export interface CalendarFeedStatus {
  active: boolean;
  created_at: string | null;
  last_used_at: string | null;
}

export async function calendarFeedStatus(userId: string): Promise<CalendarFeedStatus> {
  const [row] = await db().select().from(calendarFeeds).where(eq(calendarFeeds.userId, userId));
  return {
    active: Boolean(row),
    created_at: row?.createdAt.toISOString() ?? null,
    last_used_at: row?.lastUsedAt?.toISOString() ?? null,
  };
}

/**
 * A new secret feed URL for the user, shown once: only its SHA-256 is stored. A user has one
 * feed; creating another replaces the hash, so the previous URL stops working at once.
 */
export async function createCalendarFeed(ctx: PipelineContext): Promise<{ token: string; url: string }> {
  const { orgId, actor } = ctx;
  assertCan(actor, "pipeline:read");
  const now = ctx.now();
  await ctx.transaction((tx) => assertPipelineIncluded(tx, orgId));
  const userId = actor.userId;
  const token = `${CALENDAR_TOKEN_PREFIX}${randomToken(32)}`;
  // A user's credential, audited without an org (like sign-up's): written as the accounts work.
  await withSystem("accounts", async (tx) => {
    const [replaced] = await tx.select().from(calendarFeeds).where(eq(calendarFeeds.userId, userId)).for("update");
    await tx
      .insert(calendarFeeds)
      .values({ userId, tokenHash: sha256(token), createdAt: now })
      .onConflictDoUpdate({
        target: calendarFeeds.userId,
        set: { tokenHash: sha256(token), createdAt: now, lastUsedAt: null },
      });
    await recordAudit(tx, {
      actor: { type: "user", id: userId },
      action: replaced ? "pipeline.calendar_feed.regenerated" : "pipeline.calendar_feed.created",
      target: { type: "user", id: userId },
      at: now,
    });
  });
  return { token, url: `${appUrl()}${calendarFeedPath(token)}` };
}

/** Turns the user's feed off: its URL answers 404 from now on. */
export async function revokeCalendarFeed(userId: string, now = new Date()): Promise<{ revoked: boolean }> {
  return withSystem("accounts", async (tx) => {
    const deleted = await tx
      .delete(calendarFeeds)
      .where(eq(calendarFeeds.userId, userId))
      .returning({ userId: calendarFeeds.userId });
    if (deleted.length > 0)
      await recordAudit(tx, {
        actor: { type: "user", id: userId },
        action: "pipeline.calendar_feed.revoked",
        target: { type: "user", id: userId },
        at: now,
      });
    return { revoked: deleted.length > 0 };
  });
}

const unknownFeed = () => new AppError("not_found", "No such calendar feed. It may have been revoked or replaced.");

/**
 * The ICS text behind a secret feed URL: the response deadlines of notices in an open stage
 * (watching, bidding) tracked by any org of the user whose plan includes the pipeline.
 */
export async function calendarFeedIcs(token: string, now = new Date()): Promise<string> {
  if (!TOKEN_SHAPE.test(token)) throw unknownFeed();
  const [feed] = await db()
    .select({ userId: calendarFeeds.userId, email: users.email })
    .from(calendarFeeds)
    .innerJoin(users, eq(users.id, calendarFeeds.userId))
    .where(eq(calendarFeeds.tokenHash, sha256(token)));
  if (!feed) throw unknownFeed();
  await db().update(calendarFeeds).set({ lastUsedAt: now }).where(eq(calendarFeeds.userId, feed.userId));

  // The feed names a user, not an org: their orgs are found as sign-in finds them.
  const orgs = await withSystem("accounts", (tx) =>
    tx
      .select({ id: organizations.id, name: organizations.name })
      .from(memberships)
      .innerJoin(organizations, eq(organizations.id, memberships.orgId))
      .where(and(eq(memberships.userId, feed.userId), inArray(organizations.plan, pipelinePlans())))
      .orderBy(asc(organizations.name)),
  );
  const events: CalendarEvent[] = [];
  for (const org of orgs) {
    const rows = await withTenant(org.id, (tx) =>
      tx
        .select({
          id: trackedOpportunities.id,
          noticeId: trackedOpportunities.noticeId,
          stage: trackedOpportunities.stage,
          updatedAt: trackedOpportunities.updatedAt,
          title: opportunities.title,
          solicitationNumber: opportunities.solicitationNumber,
          deadline: opportunities.responseDeadline,
          assignee: users.email,
        })
        .from(trackedOpportunities)
        .innerJoin(opportunities, eq(opportunities.noticeId, trackedOpportunities.noticeId))
        .leftJoin(users, eq(users.id, trackedOpportunities.assigneeId))
        .where(
          and(
            eq(trackedOpportunities.orgId, org.id),
            inArray(trackedOpportunities.stage, [...OPEN_STAGES]),
            // Past deadlines stay: an open stage past its deadline is the team's to tidy, and the
            // calendar shows where it was.
            isNotNull(opportunities.responseDeadline),
          ),
        )
        .orderBy(asc(opportunities.responseDeadline)),
    );
    for (const row of rows) {
      const link = `${appUrl()}/opportunities/${encodeURIComponent(row.noticeId)}`;
      events.push({
        uid: `${row.id}@beacon`,
        start: row.deadline!,
        stamp: now,
        summary: `Response due: ${row.title}`,
        description: [
          `${org.name} · ${STAGE_LABELS[row.stage]}`,
          row.assignee ? `Assignee: ${row.assignee}` : "Unassigned",
          row.solicitationNumber ? `Solicitation: ${row.solicitationNumber}` : `Notice: ${row.noticeId}`,
          link,
        ].join("\n"),
        url: link,
      });
    }
  }
  return renderCalendar({ name: "Beacon bid deadlines", events });
}
