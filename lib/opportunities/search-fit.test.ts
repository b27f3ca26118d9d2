import fs from "node:fs";
import { eq } from "drizzle-orm";
import { beforeEach, expect, it } from "vitest";
import { db } from "@/db/client";
import { noticeChanges, noticeVersions, opportunities } from "@/db/schema";
import { appErrorOf } from "@/tests/app-error";
import { describeEachDatabase } from "@/tests/db";
import { fromCsv, type SamRecord } from "@/tests/fixtures/amended-notices";
import { filtersFromQuery, opportunityQuerySchema } from "./filters";
import { fitOf, type FitContext, type NotRelevantMark } from "./fit";
import { upsertOpportunities } from "./ingest";
import { searchOpportunities } from "./search";
import { BUNDLED_OPPORTUNITIES_FILE } from "./snapshot";

// The extract's specialty trade contractors (NAICS 2382…): 33 real notices, scoring 0 to 100 against an HVAC profile.
const records = (JSON.parse(fs.readFileSync(BUNDLED_OPPORTUNITIES_FILE, "utf8")) as SamRecord[]).filter((r) =>
  String(r.NaicsCode).startsWith("2382"),
);
const byNotice = new Map(records.map((r) => [r.NoticeId as string, r]));
const T1 = new Date("2026-04-25T06:00:00Z");
const T2 = new Date("2026-04-25T07:00:00Z");
const filters = { naics: ["2382"] };
const profile = { naicsCodes: ["238220"], keywords: ["chiller", "HVAC"], setAsides: ["SBA"], states: ["TX", "AZ"] };
const hvac: FitContext = { profile, notRelevant: [] };

/** Every page of the "best fit" search, calling `between` after each page but the last. */
async function fitPages(fit: FitContext | (() => FitContext), limit: number, between?: () => Promise<void>) {
  const seen: { id: string; score: number }[] = [];
  let cursor: string | undefined;
  do {
    const context = typeof fit === "function" ? fit() : fit;
    const page = await searchOpportunities(filters, { limit, cursor, sort: "fit" }, context);
    seen.push(...page.data.map((o) => ({ id: o.notice_id, score: o.fit!.score })));
    cursor = page.nextCursor ?? undefined;
    if (cursor && between) await between();
  } while (cursor);
  return seen;
}

/** A mark as lib/relevance reads it, made at `at`. */
async function markOf(noticeId: string, at: Date): Promise<NotRelevantMark> {
  const [row] = await db().select().from(opportunities).where(eq(opportunities.noticeId, noticeId));
  const { solicitationNumber, agencyPath: agency, naicsCode } = row!;
  return { noticeId, solicitationNumber, agency, naicsCode, markedAt: at };
}

describeEachDatabase("search by best fit", () => {
  beforeEach(async () => {
    await db().delete(opportunities);
    await db().delete(noticeVersions);
    await db().delete(noticeChanges);
    await upsertOpportunities(records.map(fromCsv), T1);
  });

  it("orders by fitOf's score, highest first, and pages through every notice once", async () => {
    const all = (await searchOpportunities(filters, { limit: 100, sort: "fit" }, hvac)).data;
    expect(all.length).toBeGreaterThan(25);
    const scores = all.map((o) => o.fit!.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(new Set(scores).size).toBeGreaterThan(4);
    expect(scores[0]).toBeGreaterThan(scores.at(-1)!);
    // The score shown is the one ordered by: the SQL arithmetic and fitOf agree.
    const rows = await db().select().from(opportunities);
    for (const o of all) {
      const row = rows.find((r) => r.noticeId === o.notice_id)!;
      expect(o.fit!.score).toBe(fitOf({ ...row, agency: row.agencyPath }, profile).score);
    }
    // Ties (same score) keep one order, so small pages give the same list.
    expect((await fitPages(hvac, 4)).map((s) => s.id)).toEqual(all.map((o) => o.notice_id));
  });

  it("a notice marked not relevant between pages leaves the list and the rest keep their places", async () => {
    const before = await fitPages(hvac, 100);
    // Two sources-sought notices of the same VA office and NAICS code: marking one makes the other "like" it.
    const idOf = (prefix: string) => records.find((r) => String(r.NoticeId).startsWith(prefix))!.NoticeId as string;
    const [marked, sibling] = [idOf("c8c984b8"), idOf("d822ad82")];
    const marks: NotRelevantMark[] = [];
    let pages = 0;
    const paged = await fitPages(
      () => ({ profile, notRelevant: [...marks] }),
      3,
      async () => {
        // After the first page a teammate marks it: its sibling would sink between pages.
        if (++pages === 1) marks.push(await markOf(marked, T2));
      },
    );
    expect(paged.map((s) => s.id)).toEqual(before.map((s) => s.id).filter((id) => id !== marked));
    // A new search ranks with the mark: the sibling loses 30 points (down to 0) and says why.
    const after = (await searchOpportunities(filters, { limit: 100, sort: "fit" }, { profile, notRelevant: marks }))
      .data;
    const was = before.find((s) => s.id === sibling)!;
    const now = after.find((o) => o.notice_id === sibling)!;
    expect(was.score).toBeGreaterThan(0);
    expect(now.fit).toEqual({
      score: 0,
      reasons: expect.arrayContaining(["Like a notice your team marked not relevant"]),
    });
    const scores = after.map((o) => o.fit!.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it("refuses a later page once the profile changed, rather than repeat or skip notices", async () => {
    const first = await searchOpportunities(filters, { limit: 5, sort: "fit" }, hvac);
    const changed = { profile: { ...profile, states: ["MA"] }, notRelevant: [] };
    const error = await appErrorOf(
      searchOpportunities(filters, { limit: 5, sort: "fit", cursor: first.nextCursor! }, changed),
    );
    expect(error.code).toBe("validation_failed");
    expect(error.extra.errors?.[0]?.path).toBe("cursor");
    // Taking back a mark the first page scored with changes the order too.
    const older = await markOf(records[0]!.NoticeId as string, T1);
    const withMark = await searchOpportunities(filters, { limit: 5, sort: "fit" }, { profile, notRelevant: [older] });
    expect(
      (await appErrorOf(searchOpportunities(filters, { limit: 5, sort: "fit", cursor: withMark.nextCursor! }, hvac)))
        .code,
    ).toBe("validation_failed");
  });

  it("a notice amended after the first page keeps the place its fit gave it then", async () => {
    const before = await fitPages(hvac, 100);
    const low = before.at(-1)!.id;
    let pages = 0;
    const paged = await fitPages(hvac, 4, async () => {
      if (++pages > 1) return;
      // Now a solicitation for chiller work in Texas, set aside for small business: it would jump to the top.
      await upsertOpportunities(
        [
          fromCsv({
            ...byNotice.get(low)!,
            Title: "Chiller replacement",
            Type: "Solicitation",
            SetASideCode: "SBA",
            PopState: "TX",
            NaicsCode: "238220",
          }),
        ],
        T2,
      );
    });
    expect(paged.map((s) => s.id)).toEqual(before.map((s) => s.id));
    expect((await fitPages(hvac, 100))[0]!.id).toBe(low);
  });

  it("needs a business profile, and binds each cursor to its sort", async () => {
    const noProfile = await appErrorOf(
      searchOpportunities(filters, { sort: "fit" }, { profile: null, notRelevant: [] }),
    );
    expect(noProfile.code).toBe("validation_failed");
    expect(noProfile.extra.errors?.[0]?.path).toBe("sort");
    expect((await appErrorOf(searchOpportunities(filters, { sort: "fit" }))).code).toBe("validation_failed");
    const byFit = await searchOpportunities(filters, { limit: 5, sort: "fit" }, hvac);
    const newest = await searchOpportunities(filters, { limit: 5, sort: "newest" }, hvac);
    for (const sort of ["relevance", "newest"] as const)
      expect((await appErrorOf(searchOpportunities(filters, { cursor: byFit.nextCursor!, sort }, hvac))).code).toBe(
        "validation_failed",
      );
    expect(
      (await appErrorOf(searchOpportunities(filters, { cursor: newest.nextCursor!, sort: "fit" }, hvac))).code,
    ).toBe("validation_failed");
  });

  it("newest first even with keywords; the query string takes sort=relevance|newest|fit", async () => {
    const q = { ...filters, q: "maintenance" };
    const all = (await searchOpportunities(q, { limit: 100, sort: "newest" })).data;
    const posted = all.map((o) => o.posted_date);
    expect(posted).toEqual([...posted].sort().reverse());
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await searchOpportunities(q, { limit: 2, cursor, sort: "newest" });
      paged.push(...page.data.map((o) => o.notice_id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(paged).toEqual(all.map((o) => o.notice_id));
    expect(opportunityQuerySchema.parse({}).sort).toBe("relevance");
    expect(opportunityQuerySchema.parse({ sort: "fit" }).sort).toBe("fit");
    expect(opportunityQuerySchema.safeParse({ sort: "best" }).success).toBe(false);
    expect(filtersFromQuery(opportunityQuerySchema.parse({ sort: "fit" }), T1)).not.toHaveProperty("sort");
  });
});
