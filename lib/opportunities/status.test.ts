import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { opportunities } from "@/db/schema";
import { describeEachDatabase } from "@/tests/db";
import { perTestEnv } from "@/tests/env";
import { filtersFromQuery, opportunityQuerySchema } from "./filters";
import { importBundledOpportunities } from "./ingest";
import { countOpportunities, getOpportunity, searchOpportunities, soonestDeadlines } from "./search";
import { opportunityFeed, SNAPSHOT_REFERENCE_DATE } from "./snapshot";
import { daysLeft, NOTICE_STATUSES, noticeStatusIn, noticeStatusSql, type NoticeStatus } from "./status";

const SNAPSHOT = SNAPSHOT_REFERENCE_DATE;
const LATER = new Date("2026-12-01T12:00:00Z");

describe("opportunityFeed", () => {
  const setEnv = perTestEnv();
  it("judges openness at the snapshot's day without SAM_API_KEY, and says the data is a sample", () => {
    setEnv({ SAM_API_KEY: undefined });
    expect(opportunityFeed(LATER)).toEqual({
      live: false,
      referenceDate: new Date("2026-04-25T03:59:59.999Z"),
      notice: "Sample data: SAM.gov notices of Apr 24, 2026 — set SAM_API_KEY for live data",
    });
  });
  it("is live, and today is today, with SAM_API_KEY", () => {
    setEnv({ SAM_API_KEY: "key" });
    expect(opportunityFeed(LATER)).toEqual({ live: true, referenceDate: LATER, notice: null });
  });
});

describe("daysLeft", () => {
  it("counts calendar days on SAM.gov's clock: 0 on the day due, negative once past, null without a deadline", () => {
    // The snapshot's reference date is the last moment of Apr 24 in Washington.
    expect(daysLeft("2026-04-27T15:00:00.000Z", SNAPSHOT)).toBe(3);
    expect(daysLeft(new Date("2026-04-25T03:00:00Z"), SNAPSHOT)).toBe(0); // 23:00 on Apr 24, Eastern
    expect(daysLeft("2026-04-25T05:00:00Z", SNAPSHOT)).toBe(1); // 01:00 on Apr 25, Eastern
    expect(daysLeft("2026-04-20T12:00:00Z", SNAPSHOT)).toBe(-4);
    expect(daysLeft(null, SNAPSHOT)).toBeNull();
  });
});

describe("the status query parameter", () => {
  it("defaults to open, accepts each status and all, and refuses anything else", () => {
    expect(filtersFromQuery(opportunityQuerySchema.parse({}), SNAPSHOT)).toMatchObject({
      status: ["open"],
      referenceDate: SNAPSHOT,
    });
    expect(filtersFromQuery(opportunityQuerySchema.parse({ status: "awarded" }), SNAPSHOT).status).toEqual(["awarded"]);
    expect(filtersFromQuery(opportunityQuerySchema.parse({ status: "all" }), SNAPSHOT).status).toBeUndefined();
    expect(opportunityQuerySchema.safeParse({ status: "live" }).success).toBe(false);
  });
});

describeEachDatabase("notice status and versions in the bundled SAM.gov day", () => {
  beforeAll(async () => {
    await importBundledOpportunities();
  });

  it("counts each solicitation once, by its status on the snapshot's day", async () => {
    const count = (status: "open" | "closed" | "awarded" | "cancelled", naics?: string[]) =>
      countOpportunities({ status: [status], naics, referenceDate: SNAPSHOT });
    expect(await countOpportunities({ referenceDate: SNAPSHOT })).toBe(823); // 901 notices, 78 of them older postings of a solicitation
    expect(await count("open")).toBe(630);
    expect(await count("closed")).toBe(18);
    expect(await count("awarded")).toBe(174);
    expect(await count("cancelled")).toBe(1);
    // The figures the bundled day is known for: 22 open under NAICS 5415, 70 under 54.
    expect(await count("open", ["5415"])).toBe(22);
    expect(await count("open", ["54"])).toBe(70);
    // Months later every one of them has closed.
    expect(await countOpportunities({ status: ["open"], naics: ["5415"], referenceDate: LATER })).toBe(0);
  });

  it("lists the soonest response deadlines of every matching notice, not of the newest page", async () => {
    const filters = { status: ["open" as const], referenceDate: SNAPSHOT };
    const every: { id: string; due: number }[] = [];
    let cursor: string | undefined;
    do {
      const page = await searchOpportunities(filters, { limit: 100, cursor });
      for (const o of page.data)
        if (o.response_deadline) every.push({ id: o.notice_id, due: Date.parse(o.response_deadline) });
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(every.length).toBeGreaterThan(100); // more than the one page the dashboard used to sort
    const soonest = await soonestDeadlines(filters, 5);
    const expected = every.sort((a, b) => a.due - b.due).slice(0, 5);
    expect(soonest.map((o) => Date.parse(o.response_deadline!))).toEqual(expected.map((e) => e.due));
  });

  it("marks open, closed (deadline passed), awarded and cancelled notices on results and the detail page", async () => {
    const status = async (noticeId: string, at = SNAPSHOT) => (await getOpportunity(noticeId, at)).status;
    expect(await status("2ecbf6e29d294762b92d691d96e399c3")).toBe("open"); // deadline 27 Apr
    expect(await status("2ecbf6e29d294762b92d691d96e399c3", LATER)).toBe("closed");
    expect(await status("a223bb9d7b8341a3b5f2aa924f379dbf")).toBe("closed"); // deadline 24 Apr 09:00 UTC
    expect(await status("eee052a923d5425c98e40ead3d9759dd")).toBe("awarded"); // Award Notice
    expect(await status("c4fe4f1476124d33908d003dab9d1c28")).toBe("cancelled"); // "CANCELLED: Thomson Causeway …"

    const { data } = await searchOpportunities({ q: "Thomson Causeway custodial", referenceDate: SNAPSHOT });
    expect(data.map((o) => [o.notice_id, o.status])).toEqual([["c4fe4f1476124d33908d003dab9d1c28", "cancelled"]]);
    const open = await searchOpportunities({
      q: "Thomson Causeway custodial",
      status: ["open"],
      referenceDate: SNAPSHOT,
    });
    expect(open.data).toEqual([]);
  });

  it("shows a solicitation posted twice once, as its latest version, with its history on the detail page", async () => {
    const { data } = await searchOpportunities({ q: "DISA-PAC video wall", referenceDate: SNAPSHOT });
    expect(data.map((o) => o.notice_id)).toEqual(["fe2aadde8f484eda9d2162efbd597c5e"]);
    expect(await countOpportunities({ q: "DISA-PAC video wall", referenceDate: SNAPSHOT })).toBe(1);

    const older = await getOpportunity("878353b3a75f433da28bb8f3a33782ef", SNAPSHOT);
    expect(older.versions.map((v) => [v.notice_id, v.latest])).toEqual([
      ["fe2aadde8f484eda9d2162efbd597c5e", true],
      ["878353b3a75f433da28bb8f3a33782ef", false],
    ]);
    expect((await getOpportunity("eee052a923d5425c98e40ead3d9759dd", SNAPSHOT)).versions).toEqual([]);
  });

  it("gives the detail page the contacts, agency levels, award and place stored at ingestion, and explains a profile's match", async () => {
    const profile = { naics: ["2373"], q: "parking lot or zeppelin", states: ["NV", "CA"], setAsides: ["8A"] };
    const o = await getOpportunity("eee052a923d5425c98e40ead3d9759dd", SNAPSHOT, profile);
    expect(o).toMatchObject({
      agency_levels: ["DEPT OF DEFENSE", "DEPT OF THE NAVY", "NAVFACSYSCOM SOUTHWEST"],
      place: { city: "Lemoore", state: "CA", country: "USA" },
      contacts: [
        { type: "primary", name: "Nathalie Zielinski", email: "nathalie.zielinski@navy.mil", phone: "5599983892" },
        { type: "secondary", name: "Antonio Harley", email: "antonio.b.harley2.civ@us.navy.mil", phone: "5599982086" },
      ],
      resource_links: [],
      award: { number: "N62473-21-D-1221", date: "2026-04-21", amount_cents: 115_438_700 },
      matched: { naics: "2373", state: "CA", set_aside: null },
    });
    expect(o.matched.keywords).toEqual(["parking", "lot"]);
    // Without a profile nothing is claimed to match.
    const plain = await getOpportunity("eee052a923d5425c98e40ead3d9759dd", SNAPSHOT);
    expect(plain.matched).toEqual({ keywords: [], naics: null, state: null, set_aside: null });
  });
});

describeEachDatabase("the status filter's conditions", () => {
  // Every way the CASE can decide: type, title, active, deadline and archive date on either
  // side of the reference date (and on it), and missing.
  const REFERENCE = new Date("2026-04-25T03:59:59.999Z"); // Apr 24, end of day in Washington
  const grid = [null, "Award Notice", "Justification", "Solicitation"].flatMap((type) =>
    ["Road repair", "CANCELLED - Road repair", "Cancelled: road"].flatMap((title) =>
      [true, false].flatMap((active) =>
        [null, "2026-04-20T00:00:00Z", REFERENCE.toISOString(), "2026-05-01T00:00:00Z"].flatMap((deadline) =>
          [null, "2026-04-23", "2026-04-24", "2026-04-25"].map((archiveDate) => ({
            type,
            title,
            active,
            deadline,
            archiveDate,
          })),
        ),
      ),
    ),
  );

  beforeAll(async () => {
    await db()
      .insert(opportunities)
      .values(
        grid.map((row, i) => ({
          noticeId: `status-grid-${i}`,
          title: row.title,
          type: row.type,
          active: row.active,
          responseDeadline: row.deadline ? new Date(row.deadline) : null,
          archiveDate: row.archiveDate,
          agencyPath: "DEPT OF TESTING",
          postedAt: new Date(Date.UTC(2026, 3, 1) + i * 60_000),
          source: "test",
          raw: {},
        })),
      );
  });

  it("keeps exactly the notices whose status is one of those asked for, for every combination", async () => {
    const statusOf = new Map(
      (
        await db()
          .select({ noticeId: opportunities.noticeId, status: noticeStatusSql(REFERENCE) })
          .from(opportunities)
      ).map((row) => [row.noticeId, row.status]),
    );
    expect(new Set(statusOf.values())).toEqual(new Set(NOTICE_STATUSES));
    const asked: NoticeStatus[][] = [
      ...NOTICE_STATUSES.map((s) => [s]),
      ["open", "closed"],
      ["awarded", "cancelled"],
      [],
    ];
    for (const statuses of asked) {
      const kept = await db()
        .select({ noticeId: opportunities.noticeId })
        .from(opportunities)
        .where(noticeStatusIn(statuses, REFERENCE));
      const expected = [...statusOf].filter(([, status]) => statuses.includes(status)).map(([id]) => id);
      expect(kept.map((row) => row.noticeId).sort(), statuses.join("+")).toEqual(expected.sort());
    }
  });
});
