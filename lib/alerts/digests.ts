import { and, asc, eq, gt, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { alertDigests, alerts, opportunities, users } from "@/db/schema";
import type { Tx } from "@/db/client";
import { isUuid } from "@/db/tenant";
import { alertChannelPosts } from "@/lib/channels";
import type { SystemContext } from "@/lib/context";
import { AppError } from "@/lib/http";
import { DESCRIPTION_SCAN, fitOf, ingestedThrough, type FitContext } from "@/lib/opportunities";
import { fitContexts } from "@/lib/relevance";
import { deliverOutboxNow, enqueueOutboxMany } from "@/lib/outbox";
import type { AlertRow } from "./alerts";
import type { DigestOpportunity } from "./digest-email";
import { digestMails } from "./digest-mail";
import { decidePlanPauses } from "./plan-allowance";
import type { AlertPauseReason } from "./rules";
import { alertFitProfile, matchWindows, windowStartOf, type WindowMatch } from "./window-matches";

/** Alerts matched per statement and claimed per transaction. */
export const DIGEST_BATCH_SIZE = 500;

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
const PERIOD_MS = { daily: DAY_MS, weekly: 7 * DAY_MS } as const;

/** `paused`: the alert's plan does not cover it (over the limit, or instant on a plan without them): nothing sent. */
export type DigestStatus = "sent" | "empty" | "duplicate" | "inactive" | "paused";

export interface DigestResult {
  alertId: string;
  status: DigestStatus;
  /** True when this window was already recorded (a retry or a concurrent run): nothing was sent. */
  duplicate: boolean;
  digestId: string | null;
  matchCount: number;
  noticeIds: string[];
  emailMessageId: string | null;
}

export interface DigestRunSummary {
  /** Alerts looked at (due ones, or instant ones that matched). */
  alerts: number;
  /** Digests recorded by this run. */
  digests: number;
  /** Digest e-mails this run wrote to the outbox (and tried to deliver at once). */
  emails: number;
}

/**
 * Scheduled windows end on a whole minute, so a retry within the same minute asks for the very
 * same window and meets the unique (alert_id, window_end) index instead of a new window.
 */
export function digestWindowEnd(now: Date): Date {
  return new Date(Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS - INGESTION_SETTLE_MS);
}

/**
 * Windows close a minute behind the clock: ingestion stamps created_at just before its batch
 * commits, so by then every row stamped inside the window is visible to the digest.
 */
export const INGESTION_SETTLE_MS = MINUTE_MS;

function sameInstant(a: Date | null, b: Date | null) {
  return (a?.getTime() ?? null) === (b?.getTime() ?? null);
}

/**
 * Daily and weekly alerts whose next window has come round by the context's clock, oldest window
 * first, at most `limit`. Instant alerts run on ingestion instead (runInstantAlerts).
 */
export async function findDueAlerts(ctx: SystemContext, options: { limit?: number } = {}): Promise<AlertRow[]> {
  return dueAlerts(ctx, ctx.now(), options.limit ?? DIGEST_BATCH_SIZE);
}

/** The alerts due at `now`: the scheduled run asks as of its window's end, not its clock. */
function dueAlerts(ctx: SystemContext, now: Date, wanted: number): Promise<AlertRow[]> {
  const limit = Math.min(Math.max(wanted, 1), 5_000);
  const dueFor = (frequency: keyof typeof PERIOD_MS) => {
    const cutoff = new Date(now.getTime() - PERIOD_MS[frequency]);
    return and(
      eq(alerts.frequency, frequency),
      or(lte(alerts.lastWindowEnd, cutoff), and(isNull(alerts.lastWindowEnd), lte(alerts.createdAt, cutoff))),
    );
  };
  return ctx.transaction((tx) =>
    tx
      .select()
      .from(alerts)
      .where(and(eq(alerts.active, true), isNull(alerts.pausedReason), or(dueFor("daily"), dueFor("weekly"))))
      .orderBy(sql`${alerts.lastWindowEnd} asc nulls first`, asc(alerts.id))
      .limit(limit),
  );
}

interface RecordedDigest {
  digestId: string;
  alert: AlertRow;
  match: WindowMatch;
  /** The digest e-mail's outbox event (and `email_messages` record): null when nothing matched. */
  emailId: string | null;
}

export { digestDedupeKey } from "./digest-mail";

/**
 * Claims the windows in one transaction: each alert is locked (in id order, so concurrent runs
 * cannot deadlock), and only an alert whose window still starts where we matched it — not
 * advanced, paused or deleted meanwhile — gets its `last_window_end` advanced and its digest row.
 * The unique (alert_id, window_end) index is the final word: a conflicting row means the window
 * is already done, and a window that is done never sends. A digest with matches writes its
 * e-mail to the outbox in the same transaction, so a window is never recorded without its
 * e-mail nor mailed without being recorded.
 */
async function recordDigests(
  ctx: SystemContext,
  items: { alert: AlertRow; match: WindowMatch }[],
  windowEnd: Date,
  details: Map<string, DigestDetail>,
  fits: Map<string, FitContext>,
  options: { recordEmpty: boolean; nothingNew: Map<string, number>; summaryUsers: ReadonlySet<string> },
): Promise<{ recorded: RecordedDigest[]; held: Set<string>; advanced: Set<string>; posts: string[] }> {
  if (items.length === 0) return { recorded: [], held: new Set(), advanced: new Set(), posts: [] };
  return ctx.transaction(async (tx) => {
    const locked = await tx
      .select({ id: alerts.id, active: alerts.active, lastWindowEnd: alerts.lastWindowEnd })
      .from(alerts)
      .where(
        inArray(
          alerts.id,
          items.map((i) => i.alert.id),
        ),
      )
      .orderBy(asc(alerts.id))
      .for("update");
    const current = new Map(locked.map((row) => [row.id, row]));
    const unclaimed = items.filter(({ alert }) => {
      const now = current.get(alert.id);
      return (
        now?.active === true && sameInstant(now.lastWindowEnd, alert.lastWindowEnd) && windowEnd > windowStartOf(alert)
      );
    });
    const held = await holdUncovered(
      tx,
      unclaimed.map((i) => i.alert),
    );
    const claimable = unclaimed.filter(({ alert }) => !held.has(alert.id));
    if (claimable.length === 0) return { recorded: [], held, advanced: new Set<string>(), posts: [] };
    const advanced = new Set(claimable.map((c) => c.alert.id));
    // An instant alert's empty window only moves its cursor: a digest row per alert per sweep would be noise.
    const toRecord = options.recordEmpty ? claimable : claimable.filter((c) => c.match.total > 0);
    await tx
      .update(alerts)
      .set({ lastWindowEnd: windowEnd })
      .where(
        inArray(
          alerts.id,
          claimable.map((c) => c.alert.id),
        ),
      );
    if (toRecord.length === 0) return { recorded: [], held, advanced, posts: [] };
    const inserted = await tx
      .insert(alertDigests)
      .values(
        toRecord.map(({ alert, match }) => ({
          orgId: alert.orgId,
          alertId: alert.id,
          windowStart: windowStartOf(alert),
          windowEnd,
          matchCount: match.total,
          noticeIds: match.noticeIds,
        })),
      )
      .onConflictDoNothing({ target: [alertDigests.alertId, alertDigests.windowEnd] })
      .returning({ id: alertDigests.id, alertId: alertDigests.alertId });
    const byAlert = new Map(toRecord.map((c) => [c.alert.id, c]));
    const recorded: RecordedDigest[] = inserted.map((row) => ({
      digestId: row.id,
      ...byAlert.get(row.alertId)!,
      emailId: null,
    }));

    const toMail = recorded.filter((r) => r.match.total > 0 || options.nothingNew.has(r.alert.id));
    const mails = digestMails(
      toMail.map(({ alert, match }) => ({
        alert,
        match,
        opportunities: match.total > 0 ? explained(alert, match.noticeIds, details, fits) : [],
        read: options.nothingNew.get(alert.id),
      })),
      windowEnd,
      options.summaryUsers,
    );
    const queued = await enqueueOutboxMany(
      tx,
      mails.map((m) => m.message),
    );
    const emailOf = new Map(mails.flatMap((m, i) => m.alertIds.map((id) => [id, queued[i]!.id] as const)));
    for (const r of toMail) r.emailId = emailOf.get(r.alert.id)!;
    if (toMail.length > 0) {
      // One statement links the batch's digests to their e-mail records.
      const pairs = sql.join(
        toMail.map((r) => sql`(${r.digestId}::uuid, ${r.emailId}::uuid)`),
        sql`, `,
      );
      await tx.execute(
        sql`update ${alertDigests} set email_message_id = queued.message_id from (values ${pairs}) as queued(digest_id, message_id) where ${alertDigests.id} = queued.digest_id`,
      );
    }
    // The alerts' chosen channels get the matches too, committed with the digest and its e-mail.
    const posts = await enqueueOutboxMany(
      tx,
      await alertChannelPosts(
        tx,
        recorded.map(({ digestId, alert, match }) => ({
          orgId: alert.orgId,
          digestId,
          alert: { id: alert.id, name: alert.name },
          total: match.total,
          windowEnd,
          matches: explained(alert, match.noticeIds, details, fits),
        })),
      ),
    );
    return { recorded, held, advanced, posts: posts.filter((p) => p.created).map((p) => p.id) };
  });
}

/**
 * The send-time check: of these locked alerts, the ones their org's plan does not cover now
 * (billing's decision, read in this transaction). They are not sent, and a stored reason that
 * lagged behind the plan is written, so the alerts page shows why.
 */
async function holdUncovered(tx: Tx, candidates: AlertRow[]): Promise<Set<string>> {
  if (candidates.length === 0) return new Set();
  const decided = await decidePlanPauses(
    tx,
    candidates.map((a) => a.orgId),
  );
  const held = new Set<string>();
  const byReason = new Map<AlertPauseReason, string[]>();
  for (const alert of candidates) {
    const reason = decided.get(alert.id);
    if (reason === null) continue;
    held.add(alert.id);
    if (reason) byReason.set(reason, [...(byReason.get(reason) ?? []), alert.id]);
  }
  for (const [reason, ids] of byReason)
    await tx.update(alerts).set({ pausedReason: reason }).where(inArray(alerts.id, ids));
  return held;
}

/** A listed notice with what its fit is judged on. */
type DigestDetail = DigestOpportunity & { description: string; type: string | null; solicitationNumber: string | null };

/** The listed notices, each with why it fits the alert's org (the order and score matchWindows used). */
function explained(
  alert: AlertRow,
  noticeIds: string[],
  details: Map<string, DigestDetail>,
  fits: Map<string, FitContext>,
): DigestOpportunity[] {
  const fit = fits.get(alert.orgId) ?? { profile: null, notRelevant: [] };
  const profile = alertFitProfile(alert, fit.profile);
  return noticeIds.flatMap((id) => {
    const d = details.get(id);
    if (!d) return [];
    const { description: _d, type: _t, solicitationNumber: _s, ...shown } = d;
    return [{ ...shown, reasons: fitOf(d, profile, fit.notRelevant).reasons }];
  });
}

async function digestOpportunities(noticeIds: string[]): Promise<Map<string, DigestDetail>> {
  if (noticeIds.length === 0) return new Map();
  const o = opportunities;
  const rows = await db()
    .select({
      noticeId: o.noticeId,
      title: o.title,
      agency: o.agencyPath,
      naicsCode: o.naicsCode,
      setAsideCode: o.setAsideCode,
      setAsideDescription: o.setAsideDescription,
      popState: o.popState,
      postedAt: o.postedAt,
      responseDeadline: o.responseDeadline,
      uiLink: o.uiLink,
      description: sql<string>`left(${o.description}, ${sql.raw(String(DESCRIPTION_SCAN))})`,
      type: o.type,
      solicitationNumber: o.solicitationNumber,
    })
    .from(o)
    .where(sql`${o.noticeId} = any(${sql.param(noticeIds)}::text[])`);
  return new Map(rows.map((row) => [row.noticeId, row]));
}

/**
 * How many notices each window read (ingested in it, posted by its end, as matchWindows scopes
 * them), for the empty windows of alerts that want a "nothing new" note: one statement over the
 * distinct window starts, and none at all when no alert asks.
 */
async function noticesReadIn(alertsWanting: AlertRow[], windowEnd: Date): Promise<Map<string, number>> {
  if (alertsWanting.length === 0) return new Map();
  const starts = [...new Set(alertsWanting.map((a) => windowStartOf(a).toISOString()))];
  const end = windowEnd.toISOString();
  const o = opportunities;
  const result = await db().execute<{ start: string | Date; n: number | string }>(sql`
    select s.start, (select count(*) from ${o} where ${o.createdAt} > s.start and ${o.createdAt} <= ${end}::timestamptz
      and ${o.postedAt} <= ${end}::timestamptz) as n
    from unnest(${sql.param(starts)}::timestamptz[]) as s(start)`);
  const byStart = new Map(result.rows.map((r) => [new Date(r.start).toISOString(), Number(r.n)]));
  return new Map(alertsWanting.map((a) => [a.id, byStart.get(windowStartOf(a).toISOString()) ?? 0]));
}

/**
 * Matches, records and mails one batch of alerts for windows ending at `windowEnd`. `instant`:
 * a window without matches records no digest, it only moves the alert's cursor.
 */
async function digestBatch(
  ctx: SystemContext,
  batch: AlertRow[],
  windowEnd: Date,
  options: { instant?: boolean; summaryUsers?: ReadonlySet<string> } = {},
): Promise<DigestResult[]> {
  const open = batch.filter((alert) => windowEnd > windowStartOf(alert));
  // Each org's profile and not-relevant marks, read once for the batch.
  const fits: Map<string, FitContext> =
    open.length > 0
      ? await ctx.transaction((tx) =>
          fitContexts(
            tx,
            open.map((a) => a.orgId),
          ),
        )
      : new Map();
  const matches = open.length > 0 ? await matchWindows(open, windowEnd, fits) : new Map<string, WindowMatch>();
  const items = open.map((alert) => ({ alert, match: matches.get(alert.id) ?? { total: 0, noticeIds: [] } }));
  const details = await digestOpportunities([
    ...new Set(items.filter((i) => i.match.total > 0).flatMap((i) => i.match.noticeIds)),
  ]);
  // Daily and weekly only: an instant alert's empty sweep is not news.
  const nothingNew = options.instant
    ? new Map<string, number>()
    : await noticesReadIn(
        items
          .filter((i) => i.match.total === 0 && i.alert.nothingNewEmail && i.alert.frequency !== "instant")
          .map((i) => i.alert),
        windowEnd,
      );
  const { recorded, held, advanced, posts } = await recordDigests(ctx, items, windowEnd, details, fits, {
    recordEmpty: !options.instant,
    nothingNew,
    summaryUsers: options.summaryUsers ?? new Set(),
  });
  // After commit: mail now, so digests go out even without a worker; the sweep retries failures.
  await deliverOutboxNow([...recorded.flatMap((r) => (r.emailId ? [r.emailId] : [])), ...posts]);
  const byAlert = new Map(recorded.map((r) => [r.alert.id, r]));
  return items.map(({ alert, match }) => {
    const done = byAlert.get(alert.id);
    if (held.has(alert.id))
      return {
        alertId: alert.id,
        status: "paused",
        duplicate: false,
        digestId: null,
        matchCount: match.total,
        noticeIds: [],
        emailMessageId: null,
      };
    if (!done && advanced.has(alert.id))
      return {
        alertId: alert.id,
        status: "empty",
        duplicate: false,
        digestId: null,
        matchCount: 0,
        noticeIds: [],
        emailMessageId: null,
      };
    if (!done)
      return {
        alertId: alert.id,
        status: "duplicate",
        duplicate: true,
        digestId: null,
        matchCount: match.total,
        noticeIds: [],
        emailMessageId: null,
      };
    const emailMessageId = done.emailId;
    return {
      alertId: alert.id,
      status: match.total > 0 ? "sent" : "empty",
      duplicate: false,
      digestId: done.digestId,
      matchCount: match.total,
      noticeIds: match.noticeIds,
      emailMessageId,
    };
  });
}

/**
 * One alert's digest for the window (its last window end, `windowEnd`]: the opportunities that
 * are new to Beacon in it (by `created_at`, when we ingested them, and posted by its end) and
 * match the alert, best fit first, at most its digest limit listed with the true count kept. Recorded once; e-mailed
 * once when there is anything to say. Running it again for a window already done — a retry or
 * a concurrent run — records and sends nothing and answers `duplicate: true`.
 */
export async function runAlertDigest(ctx: SystemContext, alertId: string, windowEnd: Date): Promise<DigestResult> {
  if (!isUuid(alertId)) throw new AppError("not_found", "No such alert.");
  const [alert] = await ctx.transaction((tx) => tx.select().from(alerts).where(eq(alerts.id, alertId)));
  if (!alert) throw new AppError("not_found", "No such alert.");
  if (!alert.active)
    return {
      alertId,
      status: "inactive",
      duplicate: false,
      digestId: null,
      matchCount: 0,
      noticeIds: [],
      emailMessageId: null,
    };
  if (alert.pausedReason)
    return {
      alertId,
      status: "paused",
      duplicate: false,
      digestId: null,
      matchCount: 0,
      noticeIds: [],
      emailMessageId: null,
    };
  if (windowEnd <= windowStartOf(alert))
    return {
      alertId,
      status: "duplicate",
      duplicate: true,
      digestId: null,
      matchCount: 0,
      noticeIds: [],
      emailMessageId: null,
    };
  const [result] = await digestBatch(ctx, [alert], windowEnd);
  return result!;
}

/**
 * Members who chose the daily summary get their daily alerts to one address in one e-mail, so
 * those alerts must close their windows together: when any of them is due, the rest of its
 * group (same org, member and address; active, not held) joins the batch, its window ending
 * early this once. From then on the group's windows end together. Two indexed reads per batch
 * (the batch's members, then only their summary groups), nothing per alert.
 */
async function withSummarySiblings(
  ctx: SystemContext,
  due: AlertRow[],
  seen: ReadonlySet<string>,
): Promise<{ batch: AlertRow[]; summaryUsers: Set<string> }> {
  const creators = [...new Set(due.flatMap((a) => (a.frequency === "daily" && a.createdBy ? [a.createdBy] : [])))];
  if (creators.length === 0) return { batch: due, summaryUsers: new Set() };
  return ctx.transaction(async (tx) => {
    const chosen = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(inArray(users.id, creators), eq(users.dailyAlertSummary, true)));
    const summaryUsers = new Set(chosen.map((u) => u.id));
    if (summaryUsers.size === 0) return { batch: due, summaryUsers };
    const groupOf = (a: AlertRow) => `${a.orgId}|${a.createdBy}|${a.deliveryEmail}`;
    const groups = new Set(due.filter((a) => a.frequency === "daily" && summaryUsers.has(a.createdBy!)).map(groupOf));
    const inBatch = new Set(due.map((a) => a.id));
    const siblings = await tx
      .select()
      .from(alerts)
      .where(
        and(
          inArray(alerts.createdBy, [...summaryUsers]),
          eq(alerts.frequency, "daily"),
          eq(alerts.active, true),
          isNull(alerts.pausedReason),
        ),
      );
    const joining = siblings.filter((a) => !inBatch.has(a.id) && !seen.has(a.id) && groups.has(groupOf(a)));
    return { batch: [...due, ...joining], summaryUsers };
  });
}

/**
 * The scheduled run: every due daily and weekly alert gets the digest of its window ending at
 * the context's clock (to the minute), batch by batch. Safe to retry and to run twice at once.
 */
export async function runDueDigests(ctx: SystemContext): Promise<DigestRunSummary> {
  const windowEnd = digestWindowEnd(ctx.now());
  const summary: DigestRunSummary = { alerts: 0, digests: 0, emails: 0 };
  const seen = new Set<string>();
  for (;;) {
    const found = (await dueAlerts(ctx, windowEnd, DIGEST_BATCH_SIZE)).filter((alert) => !seen.has(alert.id));
    if (found.length === 0) break;
    const { batch: due, summaryUsers } = await withSummarySiblings(ctx, found, seen);
    for (const alert of due) seen.add(alert.id);
    const results = await digestBatch(ctx, due, windowEnd, { summaryUsers });
    summary.alerts += due.length;
    summary.digests += results.filter((r) => r.digestId).length;
    summary.emails += results.filter((r) => r.emailMessageId).length;
  }
  return summary;
}

export interface InstantRunSummary extends DigestRunSummary {
  /** Instant alerts whose window this run closed, with or without a match. */
  evaluated: number;
  /**
   * Every active instant alert has now been matched against every notice stored up to this
   * instant (ISO); null when there is nothing stored yet.
   */
  coveredThrough: string | null;
}

/**
 * Instant alerts: every active instant alert is matched against the notices stored since its
 * own cursor (`last_window_end`, where its previous run stopped) up to the newest notice stored
 * (never past the context's clock): a match is recorded and e-mailed as a digest, and every
 * evaluated alert's cursor moves to that point in the same transaction. Nothing depends on which event (if any)
 * started the run: a lost event, a failed or paused run, or the `instant_alerts` flag being off
 * leaves the cursors where they were, and the next run — the next ingestion's, or the
 * scheduled sweep — covers the gap. A long gap arrives as one e-mail per alert (the
 * best matches (up to its digest limit) and their true count): nothing is skipped. The claim and the unique
 * window make retries and concurrent runs send nothing twice.
 */
export async function runInstantAlerts(ctx: SystemContext): Promise<InstantRunSummary> {
  const now = ctx.now();
  const summary: InstantRunSummary = { alerts: 0, digests: 0, emails: 0, evaluated: 0, coveredThrough: null };
  // Ingestion stamps under a lock and never behind the newest stamp: up to here, all is committed.
  const through = await ingestedThrough();
  if (!through) return summary;
  const windowEnd = through < now ? through : now;
  summary.coveredThrough = windowEnd.toISOString();

  let after: string | null = null;
  for (;;) {
    const batch: AlertRow[] = await ctx.transaction((tx) =>
      tx
        .select()
        .from(alerts)
        .where(
          and(
            eq(alerts.frequency, "instant"),
            eq(alerts.active, true),
            isNull(alerts.pausedReason),
            or(lt(alerts.lastWindowEnd, windowEnd), and(isNull(alerts.lastWindowEnd), lt(alerts.createdAt, windowEnd))),
            after ? gt(alerts.id, after) : undefined,
          ),
        )
        .orderBy(asc(alerts.id))
        .limit(DIGEST_BATCH_SIZE),
    );
    if (batch.length === 0) break;
    after = batch.at(-1)!.id;
    const results = await digestBatch(ctx, batch, windowEnd, { instant: true });
    summary.evaluated += results.filter((r) => r.status === "sent" || r.status === "empty").length;
    summary.alerts += results.filter((r) => r.matchCount > 0).length;
    summary.digests += results.filter((r) => r.digestId).length;
    summary.emails += results.filter((r) => r.emailMessageId).length;
  }
  return summary;
}
