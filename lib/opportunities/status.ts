import { sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { opportunities } from "@/db/schema";
import { daysBetween, samCalendarDate } from "./ingest/sam-dates";

export const NOTICE_STATUSES = ["open", "closed", "awarded", "cancelled"] as const;
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];

const o = opportunities;

/**
 * A notice's status at `referenceDate`, in SQL so filters and results share one definition:
 * an award notice is awarded, and so is a justification (FAR 6.305 posts a J&A after the
 * contract is awarded); a notice SAM.gov retitled "CANCELLED…" is cancelled; one whose
 * response deadline (or, without a deadline, archive date) has passed, or that SAM.gov
 * deactivated, is closed; anything else is open.
 */
export function noticeStatusSql(referenceDate: Date): SQL<NoticeStatus> {
  const at = referenceDate.toISOString();
  return sql<NoticeStatus>`(case
    when ${o.type} in ('Award Notice', 'Justification') then 'awarded'
    when ${o.title} ~* '^\\W*cancell?ed\\M' then 'cancelled'
    when not ${o.active} then 'closed'
    when ${o.responseDeadline} < ${at}::timestamptz then 'closed'
    when ${o.responseDeadline} is null and ${o.archiveDate} < ${samCalendarDate(referenceDate)}::date then 'closed'
    else 'open' end)`;
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
