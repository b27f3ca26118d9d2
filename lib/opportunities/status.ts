import { sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { opportunities } from "@/db/schema";
import { daysBetween, samCalendarDate } from "./ingest/sam-dates";

export const NOTICE_STATUSES = ["open", "closed", "awarded", "cancelled"] as const;
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];

const o = opportunities;

/** A title SAM.gov marks as cancelled ("CANCELLED - …", "Cancelled: …"), as a SQL string literal. */
export const CANCELLED_TITLE = String.raw`'^\W*cancell?ed\M'`;

/** The conditions a status is decided by, in the order the first that holds decides. */
function statusTests(referenceDate: Date) {
  const at = referenceDate.toISOString();
  const archivedBefore = samCalendarDate(referenceDate);
  return {
    awarded: sql`${o.type} in ('Award Notice', 'Justification')`,
    notAwarded: sql`(${o.type} is null or ${o.type} not in ('Award Notice', 'Justification'))`,
    cancelled: sql`${o.title} ~* ${sql.raw(CANCELLED_TITLE)}`,
    notCancelled: sql`${o.title} !~* ${sql.raw(CANCELLED_TITLE)}`,
    deadlinePassed: sql`${o.responseDeadline} < ${at}::timestamptz`,
    archivedWithoutDeadline: sql`${o.responseDeadline} is null and ${o.archiveDate} < ${archivedBefore}::date`,
    // Neither of the two above, written so the planner can estimate it (and use the indexes).
    stillDue: sql`(${o.responseDeadline} >= ${at}::timestamptz or (${o.responseDeadline} is null and (${o.archiveDate} is null or ${o.archiveDate} >= ${archivedBefore}::date)))`,
  };
}

/**
 * A notice's status at `referenceDate`, in SQL so filters and results share one definition:
 * an award notice is awarded, and so is a justification (FAR 6.305 posts a J&A after the
 * contract is awarded); a notice SAM.gov retitled "CANCELLED…" is cancelled; one whose
 * response deadline (or, without a deadline, archive date) has passed, or that SAM.gov
 * deactivated, is closed; anything else is open.
 */
export function noticeStatusSql(referenceDate: Date): SQL<NoticeStatus> {
  const t = statusTests(referenceDate);
  return sql<NoticeStatus>`(case
    when ${t.awarded} then 'awarded'
    when ${t.cancelled} then 'cancelled'
    when not ${o.active} then 'closed'
    when ${t.deadlinePassed} then 'closed'
    when ${t.archivedWithoutDeadline} then 'closed'
    else 'open' end)`;
}

/**
 * True where `noticeStatusSql(referenceDate)` is one of `statuses`, as plain conditions rather
 * than a comparison with the CASE: the planner cannot estimate how many rows a CASE keeps, took
 * "open" for a handful, and sorted every match instead of reading the newest from the index.
 */
export function noticeStatusIn(statuses: readonly NoticeStatus[], referenceDate: Date): SQL {
  const t = statusTests(referenceDate);
  const live = sql`${t.notAwarded} and ${t.notCancelled}`;
  const conditions: Record<NoticeStatus, SQL> = {
    awarded: t.awarded,
    cancelled: sql`${t.notAwarded} and ${t.cancelled}`,
    closed: sql`${live} and (not ${o.active} or ${t.deadlinePassed} or (${t.archivedWithoutDeadline}))`,
    open: sql`${live} and ${o.active} and ${t.stillDue}`,
  };
  const chosen = [...new Set(statuses)].map((status) => sql`(${conditions[status]})`);
  if (chosen.length === 0) return sql`false`;
  return sql`(${sql.join(chosen, sql` or `)})`;
}

/**
 * Calendar days from `referenceDate` to a response deadline, both on SAM.gov's clock (US Eastern):
 * 0 on the day it is due, negative once past, null without a deadline.
 */
export function daysLeft(deadline: Date | string | null, referenceDate: Date): number | null {
  if (deadline === null) return null;
  return daysBetween(samCalendarDate(referenceDate), samCalendarDate(new Date(deadline)));
}

const newer = alias(opportunities, "newer_version");

/**
 * True for the latest posting of its solicitation: SAM.gov posts each amendment or follow-up
 * (presolicitation → solicitation → award) as a new notice with the same solicitation number.
 * `maxId` ignores versions stored after a search began, so its pages stay stable.
 */
export function latestVersionSql(maxId?: number): SQL {
  const pinned = maxId === undefined ? sql`` : sql` and ${newer.id} <= ${maxId}`;
  return sql`(${o.solicitationNumber} is null or not exists (select 1 from ${o} as ${sql.identifier("newer_version")} where ${newer.solicitationNumber} = ${o.solicitationNumber} and (${newer.postedAt}, ${newer.id}) > (${o.postedAt}, ${o.id})${pinned}))`;
}
