import { and, asc, desc, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { businessProfiles, notRelevantNotices, opportunities, users } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import type { MemberActor, OrgContext } from "@/lib/context";
import { AppError } from "@/lib/http";
import type { FitContext, FitProfile, NotRelevantMark } from "@/lib/opportunities";
import { assertCan } from "@/lib/orgs";

/** A notice the org marked not relevant (README "Not relevant"). */
export interface ApiNotRelevant {
  notice_id: string;
  marked_by: string | null;
  created_at: string;
}

/**
 * Enough for any one org: marks past this many are the oldest, and keeping every digest's SQL
 * small matters more than remembering the 501st notice someone dismissed.
 */
export const MAX_NOT_RELEVANT = 500;

const notFound = () => new AppError("not_found", "No such notice.");
// SAM.gov notice ids, as getOpportunity accepts them.
const NOTICE_ID = /^[A-Za-z0-9_-]{1,100}$/;

/**
 * What each org's fit is judged by: its business profile (null before onboarding) and its
 * not-relevant marks, newest first. Reads with `tx`: a tenant transaction for one org, or the
 * digest run's system transaction for a batch.
 */
export async function fitContexts(
  tx: DbOrTx,
  orgIds: readonly string[],
): Promise<Map<string, FitContext & { notRelevant: NotRelevantMark[] }>> {
  const ids = [...new Set(orgIds)];
  const out = new Map(
    ids.map((id) => [id, { profile: null as FitProfile | null, notRelevant: [] as NotRelevantMark[] }]),
  );
  if (ids.length === 0) return out;
  const profiles = await tx.select().from(businessProfiles).where(inArray(businessProfiles.orgId, ids));
  for (const p of profiles)
    out.get(p.orgId)!.profile = {
      naicsCodes: p.naicsCodes,
      keywords: p.keywords,
      setAsides: p.setAsides,
      states: p.states,
    };
  const marks = await tx
    .select()
    .from(notRelevantNotices)
    .where(inArray(notRelevantNotices.orgId, ids))
    .orderBy(asc(notRelevantNotices.orgId), asc(notRelevantNotices.createdAt), asc(notRelevantNotices.noticeId));
  for (const m of marks) {
    const list = out.get(m.orgId)!.notRelevant;
    list.unshift({
      noticeId: m.noticeId,
      solicitationNumber: m.solicitationNumber,
      agency: m.agency,
      naicsCode: m.naicsCode,
      markedAt: m.createdAt,
    });
    if (list.length > MAX_NOT_RELEVANT) list.pop();
  }
  return out;
}

/**
 * The context's org's fit context: its profile (null before onboarding) and its not-relevant
 * marks. Whoever acts in the org may read it (a member, or an API key for `sort=fit`).
 */
export async function orgFitContext(ctx: OrgContext): Promise<FitContext> {
  const { orgId } = ctx;
  return (await ctx.transaction((tx) => fitContexts(tx, [orgId]))).get(orgId)!;
}

/** A mark as the org's list shows it: the notice's title and agency, and who marked it. */
export interface ListedNotRelevant extends ApiNotRelevant {
  title: string;
  agency: string;
  marked_by_name: string | null;
}

/**
 * The org's not-relevant notices, newest mark first (at most MAX_NOT_RELEVANT: the ones that
 * count), so a team can see what it dismissed and take a mark back. Any role may read it.
 */
export async function listNotRelevant(ctx: OrgContext<MemberActor>): Promise<ListedNotRelevant[]> {
  const { orgId } = ctx;
  assertCan(ctx.actor, "opportunities:search");
  const rows = await ctx.transaction((tx) =>
    tx
      .select({ mark: notRelevantNotices, title: opportunities.title, name: users.name, email: users.email })
      .from(notRelevantNotices)
      .leftJoin(opportunities, eq(opportunities.noticeId, notRelevantNotices.noticeId))
      .leftJoin(users, eq(users.id, notRelevantNotices.markedBy))
      .where(eq(notRelevantNotices.orgId, orgId))
      .orderBy(desc(notRelevantNotices.createdAt), asc(notRelevantNotices.noticeId))
      .limit(MAX_NOT_RELEVANT),
  );
  return rows.map(({ mark, title, name, email }) => ({
    ...toApi(mark),
    title: title ?? mark.noticeId,
    agency: mark.agency,
    marked_by_name: name ?? email,
  }));
}

/** One of the org's marks with its notice's title (for the Undo after marking), or null when it is not marked. */
export async function findNotRelevant(
  ctx: OrgContext<MemberActor>,
  noticeId: string,
): Promise<{ noticeId: string; title: string } | null> {
  const { orgId } = ctx;
  if (!NOTICE_ID.test(noticeId)) return null;
  const [row] = await ctx.transaction((tx) =>
    tx
      .select({ noticeId: notRelevantNotices.noticeId, title: opportunities.title })
      .from(notRelevantNotices)
      .leftJoin(opportunities, eq(opportunities.noticeId, notRelevantNotices.noticeId))
      .where(and(eq(notRelevantNotices.orgId, orgId), eq(notRelevantNotices.noticeId, noticeId))),
  );
  return row ? { noticeId: row.noticeId, title: row.title ?? row.noticeId } : null;
}

function toApi(row: typeof notRelevantNotices.$inferSelect): ApiNotRelevant {
  return { notice_id: row.noticeId, marked_by: row.markedBy, created_at: row.createdAt.toISOString() };
}

/**
 * Marks a notice not relevant for the whole org: it leaves the org's matches and digests, and
 * notices like it (same solicitation, or same office and NAICS code) rank lower. Marking one
 * already marked answers the existing mark with `created: false`.
 */
export async function markNotRelevant(
  ctx: OrgContext<MemberActor>,
  noticeId: string,
): Promise<{ mark: ApiNotRelevant; created: boolean }> {
  const { orgId, actor } = ctx;
  assertCan(actor, "opportunities:dismiss");
  if (!NOTICE_ID.test(noticeId)) throw notFound();
  const now = ctx.now();
  return ctx.transaction(async (tx) => {
    const [notice] = await tx
      .select({
        noticeId: opportunities.noticeId,
        solicitationNumber: opportunities.solicitationNumber,
        agency: opportunities.agencyPath,
        naicsCode: opportunities.naicsCode,
      })
      .from(opportunities)
      .where(eq(opportunities.noticeId, noticeId));
    if (!notice) throw notFound();
    const [inserted] = await tx
      .insert(notRelevantNotices)
      .values({ orgId, ...notice, markedBy: actor.userId, createdAt: now })
      .onConflictDoNothing()
      .returning();
    if (inserted) {
      await recordAudit(tx, {
        actor: { type: "user", id: actor.userId },
        action: "opportunity.marked_not_relevant",
        orgId,
        target: { type: "notice", id: notice.noticeId },
        requestId: ctx.requestId,
        at: now,
      });
      return { mark: toApi(inserted), created: true };
    }
    const [existing] = await tx
      .select()
      .from(notRelevantNotices)
      .where(and(eq(notRelevantNotices.orgId, orgId), eq(notRelevantNotices.noticeId, notice.noticeId)));
    return { mark: toApi(existing!), created: false };
  });
}

/** Takes a mark back: the notice is a match again. 404 when the org had not marked it. */
export async function unmarkNotRelevant(ctx: OrgContext<MemberActor>, noticeId: string) {
  const { orgId, actor } = ctx;
  assertCan(actor, "opportunities:dismiss");
  if (!NOTICE_ID.test(noticeId)) throw new AppError("not_found", "This notice is not marked not relevant.");
  const now = ctx.now();
  await ctx.transaction(async (tx) => {
    const [deleted] = await tx
      .delete(notRelevantNotices)
      .where(and(eq(notRelevantNotices.orgId, orgId), eq(notRelevantNotices.noticeId, noticeId)))
      .returning({ noticeId: notRelevantNotices.noticeId });
    if (!deleted) throw new AppError("not_found", "This notice is not marked not relevant.");
    await recordAudit(tx, {
      actor: { type: "user", id: actor.userId },
      action: "opportunity.unmarked_not_relevant",
      orgId,
      target: { type: "notice", id: deleted.noticeId },
      requestId: ctx.requestId,
      at: now,
    });
  });
}
