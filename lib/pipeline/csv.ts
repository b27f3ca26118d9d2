import { toSafeCsv } from "@/lib/ops";
import { allTracked, type PipelineContext } from "./pipeline";
import { STAGE_LABELS, type PipelineFilter } from "./schemas";

/** A pipeline export is a working list, not an archive: past this many rows, filter first. */
export const PIPELINE_CSV_MAX_ROWS = 10_000;

export const PIPELINE_CSV_HEADER = [
  "notice_id",
  "title",
  "agency",
  "solicitation_number",
  "response_deadline",
  "stage",
  "assignee_name",
  "assignee_email",
  "notes",
  "last_note",
  "tracked_at",
  "updated_at",
  "sam_url",
];

/**
 * The org's tracked notices matching `filter` as CSV. Every text cell goes through the
 * spreadsheet-formula neutraliser: titles, notes and names are typed by people we do not control.
 */
export async function exportPipelineCsv(
  ctx: PipelineContext,
  filter: PipelineFilter,
): Promise<{ filename: string; csv: string; rows: number }> {
  const now = ctx.now();
  const rows = await allTracked(ctx, filter, PIPELINE_CSV_MAX_ROWS);
  const csv = toSafeCsv(
    PIPELINE_CSV_HEADER,
    rows.map((r) => [
      r.notice_id,
      r.title ?? "",
      r.agency ?? "",
      r.solicitation_number ?? "",
      r.response_deadline ?? "",
      STAGE_LABELS[r.stage],
      r.assignee?.name ?? "",
      r.assignee?.email ?? "",
      r.notes_count,
      r.last_note ?? "",
      r.created_at,
      r.updated_at,
      r.sam_url ?? "",
    ]),
  );
  return { filename: `pipeline-${now.toISOString().slice(0, 10)}.csv`, csv, rows: rows.length };
}
