import { sql } from "drizzle-orm";
import type { NoticeChangeDiff } from "@/db/schema";
import { withSystem, withTenant } from "@/db/tenant";
import { appUrl } from "@/lib/env";
import { formatDateTime } from "@/lib/format";
import { describeChange } from "@/lib/opportunities";
import { deliverOutboxNow, enqueueOutboxMany, type EnqueueOutboxInput } from "@/lib/outbox";
import { pipelinePlans } from "./access";

/**
 * "What changed" e-mails for tracked notices: each recipient gets one e-mail per org and hourly
 * window listing the material changes (notice_changes) of the notices their team tracks, and of
 * the new postings of those notices' solicitations (an award is a new notice). The e-mail's outbox
 * dedupe key names the window, so a window is mailed once however often the sweep runs; each run
 * looks back over the last day's closed windows, so a missed run is caught up.
 */
export const CHANGE_WINDOW_MS = 3_600_000;
/** Closed windows a run still looks at. */
export const CHANGE_LOOKBACK_WINDOWS = 24;
// A window is mailed only once ingestion stamped into it has surely committed.
const SETTLE_MS = 5 * 60_000;

interface ChangedTracked {
  orgId: string;
  orgName: string;
  trackedNoticeId: string;
  recipientId: string;
  email: string;
  noticeId: string;
  title: string;
  diff: NoticeChangeDiff;
  detectedAt: Date;
  windowEnd: Date;
}

/**
 * The changes detected in closed windows between `from` and `to`, one row per change and
 * recipient: the assignee, else whoever tracked it, else the org's owners — the same people the
 * deadline reminders reach. No-bid notices and changes before the notice was tracked are left out.
 */
async function changedTracked(from: Date, to: Date): Promise<ChangedTracked[]> {
  const plans = pipelinePlans();
  const rows = await withSystem("change-notices", async (tx) => {
    const result = await tx.execute<{
      org_id: string;
      org_name: string;
      tracked_notice_id: string;
      recipient_id: string;
      email: string;
      notice_id: string;
      title: string;
      diff: NoticeChangeDiff;
      detected_at: string;
      window_end: string;
    }>(sql`
      with changed as (
        select c.id, c.notice_id, c.previous_notice_id, c.solicitation_number, c.diff, c.detected_at
        from notice_changes c
        where c.detected_at >= ${from.toISOString()}::timestamptz and c.detected_at < ${to.toISOString()}::timestamptz
      ),
      -- The notices each change concerns: itself, the posting it follows, and every posting of its solicitation.
      concerned as (
        select id, notice_id as concerned_notice_id from changed
        union select id, previous_notice_id from changed
        union select c.id, o.notice_id from changed c join opportunities o on o.solicitation_number = c.solicitation_number
      ),
      hits as (
        select distinct on (t.org_id, t.notice_id, c.id) t.org_id, t.notice_id as tracked_notice_id, t.assignee_id,
          t.created_by, c.id as change_id, c.notice_id, c.diff, c.detected_at
        from changed c
        join concerned k on k.id = c.id
        join tracked_opportunities t on t.notice_id = k.concerned_notice_id
        join organizations org on org.id = t.org_id
        where t.stage <> 'no_bid' and t.created_at < c.detected_at and org.plan::text = any(${sql.param(plans)}::text[])
      )
      select h.org_id, org.name as org_name, h.tracked_notice_id, u.id as recipient_id, u.email, h.notice_id,
        coalesce(o.title, h.notice_id) as title, h.diff, h.detected_at,
        to_char(date_trunc('hour', h.detected_at at time zone 'UTC') + interval '1 hour', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as window_end
      from hits h
      join organizations org on org.id = h.org_id
      left join opportunities o on o.notice_id = h.notice_id
      join lateral (
        select m.user_id from memberships m where m.org_id = h.org_id and m.user_id = h.assignee_id
        union all
        select m.user_id from memberships m where m.org_id = h.org_id and m.user_id = h.created_by
          and not exists (select 1 from memberships a where a.org_id = h.org_id and a.user_id = h.assignee_id)
        union all
        select m.user_id from memberships m where m.org_id = h.org_id and m.role = 'owner'
          and not exists (select 1 from memberships a where a.org_id = h.org_id and a.user_id in (h.assignee_id, h.created_by))
      ) r on true
      join users u on u.id = r.user_id
      order by h.detected_at, h.change_id`);
    return result.rows;
  });
  return rows.map((r) => ({
    orgId: r.org_id,
    orgName: r.org_name,
    trackedNoticeId: r.tracked_notice_id,
    recipientId: r.recipient_id,
    email: r.email,
    noticeId: r.notice_id,
    title: r.title,
    diff: r.diff,
    detectedAt: new Date(r.detected_at),
    windowEnd: new Date(r.window_end),
  }));
}

function emailOf(changes: ChangedTracked[]): EnqueueOutboxInput {
  const [first] = changes;
  const notices = [...new Set(changes.map((c) => c.noticeId))];
  const lines: string[] = [`What changed on the notices ${first!.orgName} tracks:`, ``];
  for (const noticeId of notices) {
    const ofNotice = changes.filter((c) => c.noticeId === noticeId);
    lines.push(ofNotice[0]!.title);
    for (const change of ofNotice) {
      for (const sentence of describeChange(change.diff)) lines.push(`  - ${sentence}`);
    }
    lines.push(`  ${appUrl()}/opportunities/${encodeURIComponent(noticeId)}`, ``);
  }
  lines.push(`Seen by Beacon in the hour to ${formatDateTime(first!.windowEnd)}.`, `Pipeline: ${appUrl()}/pipeline`);
  const subject = notices.length === 1 ? `Changed: ${first!.title}` : `${notices.length} tracked notices changed`;
  return {
    kind: "email",
    orgId: first!.orgId,
    dedupeKey: `notice-changes:${first!.recipientId}:${first!.windowEnd.toISOString()}`,
    payload: { kind: "notice_changes", to: first!.email, subject: subject.slice(0, 500), text: lines.join("\n") },
  };
}

export interface ChangeNoticeRunSummary {
  changes: number;
  emailed: number;
}

/**
 * The hourly sweep: for each closed window of the last day, one e-mail per recipient and org
 * with the window's material changes of their tracked notices, written in the org's tenant
 * transaction (the outbox dedupe key makes a window's e-mail once), then delivered.
 */
export async function runChangeNotices(now = new Date()): Promise<ChangeNoticeRunSummary> {
  const to = new Date(Math.floor((now.getTime() - SETTLE_MS) / CHANGE_WINDOW_MS) * CHANGE_WINDOW_MS);
  const from = new Date(to.getTime() - CHANGE_LOOKBACK_WINDOWS * CHANGE_WINDOW_MS);
  const changes = await changedTracked(from, to);
  const byEmail = new Map<string, ChangedTracked[]>();
  for (const change of changes) {
    const key = `${change.orgId}|${change.recipientId}|${change.windowEnd.toISOString()}`;
    byEmail.set(key, [...(byEmail.get(key) ?? []), change]);
  }
  const byOrg = new Map<string, EnqueueOutboxInput[]>();
  for (const group of byEmail.values()) {
    const email = emailOf(group);
    byOrg.set(group[0]!.orgId, [...(byOrg.get(group[0]!.orgId) ?? []), email]);
  }
  const queued: string[] = [];
  for (const [orgId, emails] of byOrg) {
    const written = await withTenant(orgId, (tx) => enqueueOutboxMany(tx, emails));
    queued.push(...written.filter((w) => w.created).map((w) => w.id));
  }
  await deliverOutboxNow(queued);
  return { changes: changes.length, emailed: queued.length };
}
