import fs from "node:fs";
import { beforeEach, expect, it } from "vitest";
import { db } from "@/db/client";
import { noticeChanges, noticeVersions, opportunities } from "@/db/schema";
import { fromCsv, type SamRecord } from "@/tests/fixtures/amended-notices";
import { describeEachDatabase } from "@/tests/db";
import { upsertOpportunities } from "./ingest";
import { searchOpportunities } from "./search";
import { BUNDLED_OPPORTUNITIES_FILE } from "./snapshot";
import type { OpportunityFilters } from "./filters";

// The extract's specialty trade contractors (NAICS 2382…): 33 real notices of 31 solicitations.
const records = (JSON.parse(fs.readFileSync(BUNDLED_OPPORTUNITIES_FILE, "utf8")) as SamRecord[]).filter((r) =>
  String(r.NaicsCode).startsWith("2382"),
);
const byNotice = new Map(records.map((r) => [r.NoticeId as string, r]));
const T1 = new Date("2026-04-25T06:00:00Z");
const T2 = new Date("2026-04-25T07:00:00Z");

/** Re-ingests the real record of `noticeId` with `fields` changed, as an amendment SAM.gov made in place. */
async function amend(noticeId: string, fields: SamRecord) {
  await upsertOpportunities([fromCsv({ ...byNotice.get(noticeId)!, ...fields })], T2);
}

/** Every page of `filters`, calling `afterFirst` once between the first page and the second. */
async function pagesAmendedAfterFirst(filters: OpportunityFilters, limit: number, afterFirst: () => Promise<void>) {
  const first = await searchOpportunities(filters, { limit });
  const seen = first.data.map((o) => o.notice_id);
  await afterFirst();
  let cursor = first.nextCursor;
  while (cursor) {
    const page = await searchOpportunities(filters, { limit, cursor });
    seen.push(...page.data.map((o) => o.notice_id));
    cursor = page.nextCursor;
  }
  return seen;
}

const everything = async (filters: OpportunityFilters) =>
  (await searchOpportunities(filters, { limit: 100 })).data.map((o) => o.notice_id);

describeEachDatabase("search cursors over amended notices", () => {
  beforeEach(async () => {
    await db().delete(opportunities);
    await db().delete(noticeVersions);
    await db().delete(noticeChanges);
    await upsertOpportunities(records.map(fromCsv), T1);
  });

  it("newest first: a notice re-posted newer or older in place is neither skipped nor repeated", async () => {
    const filters = { naics: ["2382"] };
    const before = await everything(filters);
    expect(before.length).toBeGreaterThan(20);
    const paged = await pagesAmendedAfterFirst(filters, 5, async () => {
      // On page two, now newer than all of page one: it would be skipped.
      await amend(before[7]!, { PostedDate: "2026-04-25 09:00:00.000-04" });
      // On page one, now older than everything: it would come again on the last page.
      await amend(before[2]!, { PostedDate: "2026-01-05 09:00:00.000-05" });
    });
    expect(paged).toEqual(before);
    // A new search sees the amended order.
    const after = await everything(filters);
    expect(after[0]).toBe(before[7]);
    expect(after.at(-1)).toBe(before[2]);
  });

  it("by relevance: a notice whose amendment changes its rank keeps its place in the pages already begun", async () => {
    const filters = { naics: ["2382"], q: "maintenance" };
    const before = await everything(filters);
    expect(before.length).toBeGreaterThan(5);
    const paged = await pagesAmendedAfterFirst(filters, 2, async () => {
      const last = before.at(-1)!;
      const title = byNotice.get(last)!.Title as string;
      await amend(last, {
        Title: `Maintenance: ${title} (maintenance)`,
        Description: "Maintenance, preventive maintenance and maintenance repairs. ".repeat(5),
      });
    });
    expect(paged).toEqual(before);
    expect((await everything(filters))[0]).toBe(before.at(-1));
  });

  it("still reads a cursor issued before amendments were pinned", async () => {
    const filters = { naics: ["2382"] };
    const before = await everything(filters);
    const first = await searchOpportunities(filters, { limit: 5 });
    const [version, maxId, , after, fingerprint] = JSON.parse(
      Buffer.from(first.nextCursor!, "base64url").toString("utf8"),
    ) as unknown[];
    expect(version).toBe(2);
    const older = Buffer.from(JSON.stringify([1, maxId, after, fingerprint])).toString("base64url");
    const second = await searchOpportunities(filters, { limit: 5, cursor: older });
    expect(second.data.map((o) => o.notice_id)).toEqual(before.slice(5, 10));
  });
});
