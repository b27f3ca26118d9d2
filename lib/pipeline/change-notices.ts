import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type { NoticeChangeDiff } from "@/db/schema";
import { appUrl } from "@/lib/env";
import { formatDateTime } from "@/lib/format";
import { describeChange } from "@/lib/opportunities";
import { changeChannelPosts, type ChangedNoticeForChannels } from "@/lib/channels";
import { inOrg, type SystemContext } from "@/lib/context";
import { deliverOutboxNow, enqueueOutboxMany, type EnqueueOutboxInput } from "@/lib/outbox";
import { changeTrackingPlans } from "./access";
import { changeUnsubscribeUrl } from "./change-unsubscribe";

/**
 * "What changed" e-mails: each recipient gets one e-mail per org and hourly window listing the
 * material changes (notice_changes) of the notices their team tracks or their alerts sent, and of
 * the new postings of those notices' solicitations (an award is a new notice). The e-mail's outbox
 * dedupe key names the window, so a window is mailed once however often the sweep runs; each run
 * looks back over the last day's closed windows, so a missed run is caught up.
 */
export const CHANGE_WINDOW_MS = 3_600_000;
/** Closed windows a run still looks at. */
export const CHANGE_LOOKBACK_WINDOWS = 24;
// A window is mailed only once ingestion stamped into it has surely committed.
const SETTLE_MS = 5 * 60_000;

interface ChangedNotice {
  orgId: string;
  orgName: string;
  /** The person e-mailed; null when the change reaches only the alert's channels. */
  userId: string | null;
  email: string | null;
  changeId: string;
  noticeId: string;
  title: string;
  diff: NoticeChangeDiff;
  detectedAt: Date;
  windowEnd: Date;
  /** The alert that sent the notice (null when it reaches the recipient as a tracked notice). */
  alertId: string | null;
}

/** A change that reaches a person by e-mail (not only an alert's channels). */
type MailedChange = ChangedNotice & { userId: string; email: string };

const isMailed = (change: ChangedNotice): change is MailedChange => change.userId !== null && change.email !== null;

// An alert's earlier matches that a change still concerns: digests this recent.
const ALERT_MATCH_DAYS = 30;

/**
 * The changes detected between `from` and `to` (closed windows), one row per change and
 * recipient address, in orgs whose plan includes change tracking. A tracked notice reaches the
 * assignee, else whoever tracked it, else the org's owners (the deadline reminders' people);
 * no-bid notices are left out. A notice an active alert sent in a digest (the last 30 days)
 * reaches the alert's address when it is a member's. Changes from before the notice was tracked or
 * sent are left out, and so are people who turned "what changed" e-mails off (`users.change_emails`):
 * every e-mail is a person's, who can stop it with one click and turn it back on at Settings → Account.
 */
async function changedNotices(ctx: SystemContext, from: Date, to: Date): Promise<ChangedNotice[]> {
  const plans = changeTrackingPlans();
  const rows = await ctx.transaction(async (tx) => {
    const result = await tx.execute<{
      org_id: string;
      org_name: string;
      user_id: string | null;
      email: string | null;
      change_id: string;
      notice_id: string;
      title: string;
      diff: NoticeChangeDiff;
      detected_at: string;
      window_end: string;
      alert_id: string | null;
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
      tracked as (
        select t.org_id, u.id as user_id, u.email, k.id as change_id, null::uuid as alert_id
        from concerned k
        join changed c on c.id = k.id
        join tracked_opportunities t on t.notice_id = k.concerned_notice_id
        join lateral (
          select m.user_id from memberships m where m.org_id = t.org_id and m.user_id = t.assignee_id
          union all
          select m.user_id from memberships m where m.org_id = t.org_id and m.user_id = t.created_by
            and not exists (select 1 from memberships a where a.org_id = t.org_id and a.user_id = t.assignee_id)
          union all
          select m.user_id from memberships m where m.org_id = t.org_id and m.role = 'owner'
            and not exists (select 1 from memberships a where a.org_id = t.org_id and a.user_id in (t.assignee_id, t.created_by))
        ) r on true
        join users u on u.id = r.user_id and u.change_emails
        where t.stage <> 'no_bid' and t.created_at < c.detected_at
      ),
      alerted as (
        select a.org_id, u.id as user_id, u.email, k.id as change_id, a.id as alert_id
        from concerned k
        join changed c on c.id = k.id
        join alert_digests d on k.concerned_notice_id = any(d.notice_ids)
          and d.created_at < c.detected_at
          and d.created_at >= ${from.toISOString()}::timestamptz - ${ALERT_MATCH_DAYS} * interval '1 day'
        join alerts a on a.id = d.alert_id and a.active and a.paused_reason is null
        -- The e-mail goes to the alert's address only when it is a member's who has them on (a shared
        -- inbox has nobody to turn them back on); the alert's channels get the change either way.
        left join (users u join memberships m on m.user_id = u.id)
          on lower(u.email) = lower(a.delivery_email) and u.change_emails and m.org_id = a.org_id
      ),
      reached as (select * from tracked union select * from alerted)
      select r.org_id, org.name as org_name, r.user_id, r.email, c.id::text as change_id, c.notice_id,
        r.alert_id::text as alert_id,
        coalesce(o.title, c.notice_id) as title, c.diff, c.detected_at,
        to_char(date_trunc('hour', c.detected_at at time zone 'UTC') + interval '1 hour', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as window_end
      from reached r
      join changed c on c.id = r.change_id
      join organizations org on org.id = r.org_id and org.plan::text = any(${sql.param(plans)}::text[])
      left join opportunities o on o.notice_id = c.notice_id
      order by c.detected_at, c.id`);
    return result.rows;
  });
  return rows.map((r) => ({
    orgId: r.org_id,
    orgName: r.org_name,
    userId: r.user_id,
    email: r.email,
    changeId: r.change_id,
    noticeId: r.notice_id,
    title: r.title,
    diff: r.diff,
    detectedAt: new Date(r.detected_at),
    windowEnd: new Date(r.window_end),
    alertId: r.alert_id,
  }));
}

const UNSUBSCRIBE = "{{unsubscribe}}";

// The address in the dedupe key, hashed: the key is an index entry, not a place for contact data.
const addressKey = (email: string) => createHash("sha256").update(email.toLowerCase()).digest("hex").slice(0, 24);

function emailOf(reaching: MailedChange[]): EnqueueOutboxInput {
  // A change can reach one address several ways (tracked, and sent by one or more alerts): once.
  const changes = reaching.filter((c, i) => reaching.findIndex((d) => d.changeId === c.changeId) === i);
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
  lines.push(
    `Seen by Beacon in the hour to ${formatDateTime(first!.windowEnd)}, for the notices your team tracks or your alerts sent.`,
    `Pipeline: ${appUrl()}/pipeline · Alerts: ${appUrl()}/alerts`,
    `Stop "what changed" e-mails: ${UNSUBSCRIBE} (turn them back on at ${appUrl()}/settings/account)`,
  );
  const subject = notices.length === 1 ? `Changed: ${first!.title}` : `${notices.length} notices you follow changed`;
  return {
    kind: "email",
    orgId: first!.orgId,
    dedupeKey: `notice-changes:${addressKey(first!.email)}:${first!.windowEnd.toISOString()}`,
    payload: {
      kind: "notice_changes",
      to: first!.email,
      subject: subject.slice(0, 500),
      text: lines.join("\n"),
      // One click (RFC 8058) stops these e-mails for the person, sealed in the outbox like every unsubscribe link.
      unsubscribe: UNSUBSCRIBE,
      secrets: { unsubscribe: changeUnsubscribeUrl(first!.userId) },
    },
  };
}

export interface ChangeNoticeRunSummary {
  changes: number;
  emailed: number;
  /** Posts to the alerts' channels (Slack, Teams, signed webhooks). */
  posted: number;
}

/**
 * The hourly sweep: for each closed window of the last day, one e-mail per recipient and org
 * with the window's material changes of their tracked notices, written in the org's tenant
 * transaction (the outbox dedupe key makes a window's e-mail once), then delivered. The e-mails and
 * channel posts are outbox rows, not events: delivered by id once their org's transaction commits.
 */
export async function runChangeNotices(ctx: SystemContext): Promise<ChangeNoticeRunSummary> {
  const now = ctx.now();
  const to = new Date(Math.floor((now.getTime() - SETTLE_MS) / CHANGE_WINDOW_MS) * CHANGE_WINDOW_MS);
  const from = new Date(to.getTime() - CHANGE_LOOKBACK_WINDOWS * CHANGE_WINDOW_MS);
  const changes = await changedNotices(ctx, from, to);
  const byEmail = new Map<string, MailedChange[]>();
  for (const change of changes) {
    if (!isMailed(change)) continue;
    const key = `${change.orgId}|${change.userId}|${change.windowEnd.toISOString()}`;
    byEmail.set(key, [...(byEmail.get(key) ?? []), change]);
  }
  const byOrg = new Map<string, EnqueueOutboxInput[]>();
  for (const group of byEmail.values()) {
    const email = emailOf(group);
    byOrg.set(group[0]!.orgId, [...(byOrg.get(group[0]!.orgId) ?? []), email]);
  }
  // The alerts' channels get the window's changes of the notices they sent, one post per channel and window.
  const forChannels = new Map<string, Map<string, ChangedNoticeForChannels[]>>();
  for (const change of changes) {
    if (!change.alertId) continue;
    const windows = forChannels.get(change.orgId) ?? new Map<string, ChangedNoticeForChannels[]>();
    const key = change.windowEnd.toISOString();
    windows.set(key, [
      ...(windows.get(key) ?? []),
      { alertId: change.alertId, noticeId: change.noticeId, title: change.title, changes: describeChange(change.diff) },
    ]);
    forChannels.set(change.orgId, windows);
    if (!byOrg.has(change.orgId)) byOrg.set(change.orgId, []);
  }
  const queued: string[] = [];
  let posted = 0;
  for (const [orgId, emails] of byOrg) {
    const written = await inOrg(ctx, orgId).transaction(async (tx) => {
      const posts: EnqueueOutboxInput[] = [];
      for (const [windowEnd, changed] of forChannels.get(orgId) ?? [])
        posts.push(...(await changeChannelPosts(tx, orgId, new Date(windowEnd), changed, now)));
      const rows = await enqueueOutboxMany(tx, [...emails, ...posts]);
      posted += rows.slice(emails.length).filter((w) => w.created).length;
      return rows;
    });
    queued.push(...written.filter((w) => w.created).map((w) => w.id));
  }
  await deliverOutboxNow(queued);
  // Changes per recipient, however many ways (tracked, alerts) each reached them.
  const reached = new Set(changes.filter(isMailed).map((c) => `${c.orgId}|${c.email}|${c.changeId}`)).size;
  return { changes: reached, emailed: queued.length - posted, posted };
}
