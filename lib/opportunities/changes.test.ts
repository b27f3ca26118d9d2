import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { noticeChanges, opportunities } from "@/db/schema";
import { describeEachDatabase } from "@/tests/db";
import { fromApi, fromCsv, described, runway, runwayAmended, runwayAward } from "@/tests/fixtures/amended-notices";
import { attachmentName, describeChange } from "./changes";
import { storeIngestedBatch, upsertOpportunities } from "./ingest";
import { getOpportunity } from "./search";

describe("describeChange", () => {
  it("says each material change in words, most consequential first", () => {
    expect(
      describeChange({
        description: { changed: true },
        resourceLinks: { added: ["https://sam.gov/files/abc123/download"], removed: ["https://x.test/old.pdf"] },
        setAside: { from: { code: "SBA", description: "Total Small Business Set-Aside (FAR 19.5)" }, to: {} },
        responseDeadline: { from: "2026-05-04T16:00:00+00:00", to: "2026-05-18T16:00:00+00:00" },
        award: { to: { number: null, date: null, amountCents: 123456700, awardee: "ACME Inc." } },
        type: { from: "Solicitation", to: "Award Notice" },
        cancelled: true,
        active: { from: true, to: false },
      }),
    ).toEqual([
      "Cancelled by the agency",
      "Notice type changed from Solicitation to Award Notice",
      "Award: ACME Inc., $1,234,567.00",
      "Response deadline moved from May 4, 2026 to May 18, 2026",
      "Set-aside changed from Total Small Business Set-Aside (FAR 19.5) to none",
      "Attachment added: abc123",
      "Attachment removed: old.pdf",
      "Description changed",
      "Deactivated on SAM.gov",
    ]);
  });

  it("names the time when a deadline moves within its day, and says when one appears or goes", () => {
    expect(describeChange({ responseDeadline: { from: "2026-05-04T16:00:00Z", to: "2026-05-04T21:00:00Z" } })).toEqual([
      "Response deadline moved from May 4, 2026, 16:00 UTC to May 4, 2026, 21:00 UTC",
    ]);
    expect(describeChange({ responseDeadline: { to: "2026-05-04T16:00:00Z" } })).toEqual([
      "Response deadline set: May 4, 2026, 16:00 UTC",
    ]);
    expect(describeChange({ responseDeadline: { from: "2026-05-04T16:00:00Z" } })).toEqual([
      "Response deadline removed (was May 4, 2026, 16:00 UTC)",
    ]);
    expect(attachmentName("https://sam.gov/api/files/4a7e951d/download?token=1")).toBe("4a7e951d");
  });
});

describeEachDatabase("notice history", () => {
  it("shows the amendments and the award of a solicitation on each of its postings, newest first", async () => {
    await db().delete(opportunities);
    await db().delete(noticeChanges);
    const source = "history-test";
    await storeIngestedBatch(db(), [fromApi(runway), fromCsv(described)], {
      source,
      now: new Date("2025-02-01T06:00:00Z"),
    });
    await storeIngestedBatch(db(), [fromApi(runwayAmended)], { source, now: new Date("2025-02-04T06:00:00Z") });
    await upsertOpportunities([fromApi(runwayAward)], new Date("2025-03-11T06:00:00Z"));

    const award = await getOpportunity(runwayAward.noticeId as string);
    expect(
      award.changes.map(({ kind, notice_id, previous_notice_id, detected_at, summary }) => ({
        kind,
        notice_id,
        previous_notice_id,
        detected_at,
        summary,
      })),
    ).toEqual([
      {
        kind: "new_posting",
        notice_id: runwayAward.noticeId,
        previous_notice_id: runway.noticeId,
        detected_at: "2025-03-11T06:00:00.000Z",
        summary: [
          "Notice type changed from Solicitation to Award Notice",
          "Award: ACME Inc., $1,234,567.00, contract FA304725C0011",
          "Response deadline removed (was Feb 17, 2025, 19:30 UTC)",
        ],
      },
      {
        kind: "amended",
        notice_id: runway.noticeId,
        previous_notice_id: runway.noticeId,
        detected_at: "2025-02-04T06:00:00.000Z",
        summary: ["Response deadline moved from Feb 3, 2025 to Feb 17, 2025", "Attachment added: 0123456789abcdef"],
      },
    ]);
    expect((await getOpportunity(runway.noticeId as string)).changes).toEqual(award.changes);
    expect((await getOpportunity(described.NoticeId as string)).changes).toEqual([]);
  });
});
