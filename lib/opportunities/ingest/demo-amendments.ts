import { normalizeCsvRecord, type NewOpportunity } from "./normalize";

/**
 * Later versions of notices the demo feed has already released, so change tracking has something
 * to record on a fresh install: each is a real record of the bundled day (an extract row) with one
 * change a contracting office makes every day, released with the batch that brings the replay to
 * `releasedWith` notices and stored through the ordinary upsert, which keeps the earlier copy
 * (notice_versions) and records the change (notice_changes). The targets are among the notices a
 * fresh database starts with (the first 600), in the demo profile's industry (NAICS 541519); the
 * invented parts say "demo feed" so nobody mistakes them for SAM.gov's.
 */
export interface DemoAmendment {
  noticeId: string;
  /** Released with the batch that brings the replay to this many notices. */
  releasedWith: number;
  what: string;
  amend: (row: Readonly<Record<string, unknown>>) => Record<string, unknown>;
}

export const DEMO_AMENDMENTS: readonly DemoAmendment[] = [
  {
    // FDIC SailPoint IdentityIQ subscription renewal (CORHQ-26-Q-0059).
    noticeId: "52994837c56d4bd29c78ae5a3809a1d3",
    releasedWith: 630,
    what: "response deadline moved two weeks",
    amend: (row) => ({ ...row, ResponseDeadLine: "2026-05-12T14:00:00-04:00" }),
  },
  {
    // FDIC SBC AudioCodes hardware and software tech refresh (CORHQ-26-Q-0145).
    noticeId: "3243d248d81844a3bf97fa768b2fc9a4",
    releasedWith: 660,
    what: "description amended",
    amend: (row) => ({
      ...row,
      Description: `${String(row.Description ?? "")}\n\nAmendment 0001 (demo feed): questions are due by May 4, 2026, 12:00 PM ET; the quote due date is unchanged.`,
    }),
  },
  {
    // Navy Tellabs GPON maintenance (N6264926QH013): its award, a new notice under the same solicitation.
    noticeId: "903df9ab336c4275ba619137e9eda40e",
    releasedWith: 690,
    what: "award notice",
    amend: (row) => ({
      ...row,
      NoticeId: `${String(row.NoticeId)}-award`,
      Type: "Award Notice",
      BaseType: "Award Notice",
      PostedDate: "2026-04-24 18:00:00.000-04",
      ResponseDeadLine: "",
      AwardNumber: "DEMO-N6264926QH013",
      AwardDate: "2026-04-24",
      Award$: "148500.00",
      Awardee: "Demo Feed Networks LLC",
      Description: "Award of solicitation N6264926QH013, Tellabs GPON equipment maintenance service (demo feed).",
      Link: "",
    }),
  },
];

/**
 * The amended records due when the replay goes from `from` to `to` released notices, normalized as
 * ingestion normalizes an extract row. `released` are the snapshot's notices (their `raw` is the row).
 */
export function demoAmendmentsBetween(released: readonly NewOpportunity[], from: number, to: number): NewOpportunity[] {
  return DEMO_AMENDMENTS.filter((a) => a.releasedWith > from && a.releasedWith <= to).flatMap((amendment) => {
    const original = released.find((n) => n.noticeId === amendment.noticeId);
    if (!original) return [];
    const result = normalizeCsvRecord(amendment.amend(original.raw as Record<string, unknown>));
    if (!result.ok) throw new Error(`demo amendment of ${amendment.noticeId}: ${result.rejection.message}`);
    return [result.opportunity];
  });
}
