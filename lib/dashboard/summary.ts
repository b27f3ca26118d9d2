import { and, desc, eq, inArray } from "drizzle-orm";
import { alertDigests, alerts } from "@/db/schema";
import type { MemberActor, OrgContext } from "@/lib/context";
import { usageReport, type UsageReport } from "@/lib/metering";
import { getBusinessProfile, profileMatchCriteria } from "@/lib/onboarding";
import { countOpportunities, opportunityFeed, soonestDeadlines, type OpportunityFeed } from "@/lib/opportunities";
import { assertCan } from "@/lib/orgs";
import { orgFitContext } from "@/lib/relevance";

const DAY_MS = 24 * 60 * 60 * 1000;
/** "Upcoming" deadlines: due within this many days of the reference date. */
export const DEADLINE_HORIZON_DAYS = 14;
const DEADLINES_SHOWN = 5;

export interface DashboardAlert {
  id: string;
  name: string;
  frequency: string;
  /** The member's own switch; `pausedReason` says when billing holds an active one. */
  active: boolean;
  pausedReason: string | null;
  /** When its last digest was written, and how many notices it held; null before the first. */
  lastDigestAt: Date | null;
  lastDigestMatches: number | null;
}

export interface DashboardDeadline {
  noticeId: string;
  title: string;
  agency: string | null;
  responseDeadline: Date;
  daysLeft: number;
}

export interface DashboardSummary {
  feed: OpportunityFeed;
  quota: UsageReport;
  alerts: DashboardAlert[];
  /** Open notices in the profile's NAICS codes posted in the 7 days up to the reference date; null without a profile. */
  newThisWeek: number | null;
  /** Open matches whose response is due soonest (within DEADLINE_HORIZON_DAYS); empty without a profile. */
  deadlines: DashboardDeadline[];
}

/** What a member sees at a glance: new matches, deadlines coming up, what each alert last sent, the quota. */
export async function dashboardSummary(ctx: OrgContext<MemberActor>): Promise<DashboardSummary> {
  assertCan(ctx.actor, "alerts:read");
  const now = ctx.now();
  const feed = opportunityFeed(now);
  const reference = feed.referenceDate;
  const [quota, alertRows, profile, fit] = await Promise.all([
    usageReport(ctx),
    lastDigests(ctx),
    getBusinessProfile(ctx),
    orgFitContext(ctx),
  ]);
  if (!profile || profile.naicsCodes.length === 0)
    return { feed, quota, alerts: alertRows, newThisWeek: null, deadlines: [] };

  // A notice the org marked not relevant is not a match here either.
  const marked = fit.notRelevant.map((mark) => mark.noticeId);
  const filters = { ...profileMatchCriteria(profile).filters, ...(marked.length ? { excludeNoticeIds: marked } : {}) };
  const [newThisWeek, due] = await Promise.all([
    countOpportunities({
      ...filters,
      referenceDate: reference,
      postedFrom: new Date(reference.getTime() - 7 * DAY_MS),
    }),
    soonestDeadlines(
      {
        ...filters,
        referenceDate: reference,
        deadlineFrom: reference,
        deadlineBefore: new Date(reference.getTime() + DEADLINE_HORIZON_DAYS * DAY_MS),
      },
      DEADLINES_SHOWN,
    ),
  ]);
  const deadlines = due.map((o) => {
    const responseDeadline = new Date(o.response_deadline!);
    return {
      noticeId: o.notice_id,
      title: o.title,
      agency: o.agency,
      responseDeadline,
      daysLeft: Math.max(0, Math.ceil((responseDeadline.getTime() - reference.getTime()) / DAY_MS)),
    };
  });
  return { feed, quota, alerts: alertRows, newThisWeek, deadlines };
}

async function lastDigests(ctx: OrgContext): Promise<DashboardAlert[]> {
  const { orgId } = ctx;
  return ctx.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(alerts)
      .where(eq(alerts.orgId, orgId))
      .orderBy(desc(alerts.createdAt), desc(alerts.id));
    if (rows.length === 0) return [];
    const digests = await tx
      .selectDistinctOn([alertDigests.alertId], {
        alertId: alertDigests.alertId,
        createdAt: alertDigests.createdAt,
        matchCount: alertDigests.matchCount,
      })
      .from(alertDigests)
      .where(
        and(
          eq(alertDigests.orgId, orgId),
          inArray(
            alertDigests.alertId,
            rows.map((r) => r.id),
          ),
        ),
      )
      .orderBy(alertDigests.alertId, desc(alertDigests.createdAt));
    const last = new Map(digests.map((d) => [d.alertId, d]));
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      frequency: r.frequency,
      active: r.active,
      pausedReason: r.pausedReason ?? null,
      lastDigestAt: last.get(r.id)?.createdAt ?? null,
      lastDigestMatches: last.get(r.id)?.matchCount ?? null,
    }));
  });
}
