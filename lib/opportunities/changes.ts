import { desc, eq, or } from "drizzle-orm";
import { db, type DbOrTx } from "@/db/client";
import { noticeChanges, type NoticeAward, type NoticeChangeDiff } from "@/db/schema";
import { formatDate, formatDateTime, formatUsdCents } from "@/lib/format";

/** One recorded change of a notice or its solicitation, as the detail page and API show it. */
export interface NoticeChange {
  /** The notice that carries the change. */
  notice_id: string;
  /** Same as `notice_id` for an amendment in place; else the posting before this new one. */
  previous_notice_id: string;
  /** `amended`: the notice itself changed; `new_posting`: SAM.gov posted a new notice for the solicitation. */
  kind: "amended" | "new_posting";
  detected_at: string;
  /** The changes in words, one sentence each. */
  summary: string[];
  diff: NoticeChangeDiff;
}

// A deadline moved within its day says the time; across days the dates are enough.
function deadlines(from: string | undefined, to: string | undefined): string {
  if (!from) return `Response deadline set: ${formatDateTime(to)}`;
  if (!to) return `Response deadline removed (was ${formatDateTime(from)})`;
  const sameDay = formatDate(from) === formatDate(to);
  const format = sameDay ? formatDateTime : formatDate;
  return `Response deadline moved from ${format(from)} to ${format(to)}`;
}

function setAsideName(side: { code?: string; description?: string } | undefined): string {
  return side?.description ?? side?.code ?? "none";
}

function awardWords(award: Partial<NoticeAward> | undefined): string {
  const parts = [
    award?.awardee,
    typeof award?.amountCents === "number" ? formatUsdCents(award.amountCents) : null,
    award?.number ? `contract ${award.number}` : null,
  ].filter(Boolean);
  return parts.length ? `Award: ${parts.join(", ")}` : "Award posted";
}

/** SAM.gov's download links end …/files/<id>/download: the id is the only name they carry. */
export function attachmentName(url: string): string {
  const segments = url.split(/[?#]/)[0]!.split("/").filter(Boolean);
  const last = segments.at(-1);
  return (last === "download" ? segments.at(-2) : last) ?? url;
}

/** A change in words, most consequential first: "Response deadline moved from May 4, 2026 to May 18, 2026". */
export function describeChange(diff: NoticeChangeDiff): string[] {
  const out: string[] = [];
  if (diff.cancelled) out.push("Cancelled by the agency");
  if (diff.type) out.push(`Notice type changed from ${diff.type.from ?? "none"} to ${diff.type.to ?? "none"}`);
  if (diff.award) out.push(awardWords(diff.award.to));
  if (diff.responseDeadline) out.push(deadlines(diff.responseDeadline.from, diff.responseDeadline.to));
  if (diff.setAside)
    out.push(`Set-aside changed from ${setAsideName(diff.setAside.from)} to ${setAsideName(diff.setAside.to)}`);
  for (const link of diff.resourceLinks?.added ?? []) out.push(`Attachment added: ${attachmentName(link)}`);
  for (const link of diff.resourceLinks?.removed ?? []) out.push(`Attachment removed: ${attachmentName(link)}`);
  if (diff.description) out.push("Description changed");
  if (diff.active) out.push(diff.active.to ? "Reactivated on SAM.gov" : "Deactivated on SAM.gov");
  return out;
}

/**
 * The recorded changes of a notice and of every posting of its solicitation, newest first
 * (at most `limit`).
 */
export async function changesOfNotice(
  noticeId: string,
  solicitationNumber: string | null,
  limit = 50,
  dbx: DbOrTx = db(),
): Promise<NoticeChange[]> {
  const c = noticeChanges;
  const rows = await dbx
    .select()
    .from(c)
    .where(
      solicitationNumber === null
        ? eq(c.noticeId, noticeId)
        : or(eq(c.noticeId, noticeId), eq(c.solicitationNumber, solicitationNumber)),
    )
    .orderBy(desc(c.detectedAt), desc(c.id))
    .limit(limit);
  return rows.map((row) => ({
    notice_id: row.noticeId,
    previous_notice_id: row.previousNoticeId,
    kind: row.previousNoticeId === row.noticeId ? "amended" : "new_posting",
    detected_at: row.detectedAt.toISOString(),
    summary: describeChange(row.diff),
    diff: row.diff,
  }));
}
