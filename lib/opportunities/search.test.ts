import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { database, db } from "@/db/client";
import { opportunities } from "@/db/schema";
import { describeEachDatabase } from "@/tests/db";
import { appErrorOf } from "@/tests/app-error";
import { messagesDuring } from "@/tests/support/pg-messages";
import { filtersFromQuery, opportunityQuerySchema } from "./filters";
import { countOpportunities, getOpportunity, searchOpportunities, type OpportunityResult } from "./search";

const APRIL = new Date("2026-04-01T00:00:00Z");
let serial = 0;
function opp(fields: Partial<typeof opportunities.$inferInsert> & { title: string }) {
  serial++;
  return {
    noticeId: `test${String(serial).padStart(6, "0")}`,
    agencyPath: "DEPT OF TESTING / TEST OFFICE",
    postedAt: new Date(Date.UTC(2026, 3, 1) + serial * 60_000),
    description: "",
    descriptionExcerpt: "",
    source: "test",
    raw: {},
    ...fields,
  } satisfies typeof opportunities.$inferInsert;
}

async function allPages(
  filters: Parameters<typeof searchOpportunities>[0],
  limit: number,
  between?: () => Promise<void>,
) {
  const seen: OpportunityResult[] = [];
  let cursor: string | undefined;
  do {
    const page = await searchOpportunities(filters, { limit, cursor });
    seen.push(...page.data);
    cursor = page.nextCursor ?? undefined;
    if (between) await between();
  } while (cursor);
  return seen;
}

describeEachDatabase("opportunity search", () => {
  beforeAll(async () => {
    await db()
      .insert(opportunities)
      .values([
        opp({
          noticeId: "cyber-title",
          title: "Cybersecurity operations support",
          naicsCode: "541512",
          popState: "VA",
          setAsideCode: "SBA",
          description: "Support for the network.",
        }),
        opp({
          noticeId: "cyber-body",
          title: "IT services",
          naicsCode: "541519",
          popState: "MD",
          description: "Includes cybersecurity monitoring among many other tasks and duties.",
        }),
        opp({
          noticeId: "paving",
          title: "Parking lot paving",
          naicsCode: "238990",
          popState: "VA",
          setAsideCode: "SDVOSBC",
          description: "Asphalt.",
        }),
        opp({
          noticeId: "aircraft",
          title: "Aircraft parts",
          naicsCode: "336413",
          popState: "TX",
          description: "Manufacturing of parts.",
        }),
        opp({ noticeId: "retail", title: "Store fixtures", naicsCode: "445110", description: "Retail." }),
        opp({ noticeId: "no-naics", title: "Unclassified notice", naicsCode: null, description: "cybersecurity" }),
        opp({
          noticeId: "xss",
          title: "<script>alert(1)</script> cybersecurity review",
          naicsCode: "541512",
          description: "",
        }),
        opp({
          noticeId: "late",
          title: "Late cybersecurity award",
          naicsCode: "541512",
          postedAt: new Date("2026-06-01T12:00:00Z"),
          responseDeadline: new Date("2026-07-01T00:00:00Z"),
        }),
        ...Array.from({ length: 30 }, (_, i) =>
          opp({
            title: `Janitorial services lot ${i}`,
            naicsCode: "561720",
            popState: i % 2 ? "VA" : "DC",
            description: "Cleaning services.",
          }),
        ),
      ]);
  });

  it("matches NAICS by prefix, and range sectors by every code they cover", async () => {
    const it5415 = await allPages({ naics: ["5415"] }, 50);
    expect(it5415.map((o) => o.notice_id).sort()).toEqual(["cyber-body", "cyber-title", "late", "xss"]);
    expect(it5415.every((o) => o.naics_code!.startsWith("5415") && o.matched.naics === "5415")).toBe(true);
    const manufacturing = await allPages({ naics: ["31-33"] }, 50);
    expect(manufacturing.map((o) => o.notice_id)).toEqual(["aircraft"]);
    expect((await allPages({ naics: ["44-45"] }, 50)).map((o) => o.notice_id)).toEqual(["retail"]);
  });

  it("ranks a title match above a description-only match and explains the keywords", async () => {
    const { data } = await searchOpportunities(
      { q: "cybersecurity", naics: ["5415"], asOf: new Date("2026-05-01T00:00:00Z") },
      { limit: 10 },
    );
    const ids = data.map((o) => o.notice_id);
    expect(ids.indexOf("cyber-title")).toBeLessThan(ids.indexOf("cyber-body"));
    expect(data.find((o) => o.notice_id === "cyber-title")!.matched.keywords).toContain("cybersecurity");
    expect(data.find((o) => o.notice_id === "cyber-title")!.highlights.title).toContain("<mark>Cybersecurity</mark>");
  });

  it("a repeated search answers the same and highlights only what it has not shown before", async () => {
    const search = () => searchOpportunities({ q: "cybersecurity monitoring" }, { limit: 10 });
    const first = await search();
    expect(first.data.find((o) => o.notice_id === "cyber-body")!.highlights.excerpt).toContain(
      "<mark>cybersecurity</mark> <mark>monitoring</mark>",
    );
    let again!: Awaited<ReturnType<typeof search>>;
    const sent = await messagesDuring(async () => (again = await search()));
    expect(again).toEqual(first);
    // On PostgreSQL the statement names the row versions already highlighted (PGlite counts nothing).
    if (database().driver === "postgres") expect(sent.join("\n")).toContain("then null else ts_headline");
  });

  it("a changed notice is highlighted again, from its new text", async () => {
    const search = () => searchOpportunities({ q: "cybersecurity" }, { limit: 10 });
    const before = (await search()).data.find((o) => o.notice_id === "cyber-body")!;
    expect(before.highlights.excerpt).toContain("<mark>cybersecurity</mark> monitoring");
    await db()
      .update(opportunities)
      .set({ description: "Now covers cybersecurity training for the whole staff." })
      .where(eq(opportunities.noticeId, "cyber-body"));
    try {
      const after = (await search()).data.find((o) => o.notice_id === "cyber-body")!;
      expect(after.highlights.excerpt).toContain("<mark>cybersecurity</mark> training");
    } finally {
      await db()
        .update(opportunities)
        .set({ description: "Includes cybersecurity monitoring among many other tasks and duties." })
        .where(eq(opportunities.noticeId, "cyber-body"));
    }
  });

  it("escapes stored text in highlights, keeping only <mark>", async () => {
    const { data } = await searchOpportunities({ q: "cybersecurity review" }, { limit: 5 });
    const xss = data.find((o) => o.notice_id === "xss")!;
    expect(xss.highlights.title).not.toContain("<script>");
    expect(xss.highlights.title).toContain("&lt;script&gt;");
    expect(xss.highlights.title).toContain("<mark>");
  });

  it("filters by state, set-aside, posted window, as_of and response deadline", async () => {
    expect((await allPages({ states: ["TX"] }, 50)).map((o) => o.notice_id)).toEqual(["aircraft"]);
    expect((await allPages({ setAsides: ["SDVOSBC"] }, 50)).map((o) => o.notice_id)).toEqual(["paving"]);
    const asOf = filtersFromQuery(opportunityQuerySchema.parse({ as_of: "2026-05-01", naics: "5415" }), APRIL);
    expect((await allPages(asOf, 50)).map((o) => o.notice_id)).not.toContain("late");
    const window = filtersFromQuery(
      opportunityQuerySchema.parse({ posted_from: "2026-06-01", posted_to: "2026-06-01" }),
      APRIL,
    );
    expect((await allPages(window, 50)).map((o) => o.notice_id)).toEqual(["late"]);
    const deadline = filtersFromQuery(
      opportunityQuerySchema.parse({ deadline_from: "2026-06-15", deadline_to: "2026-07-01" }),
      APRIL,
    );
    expect((await allPages(deadline, 50)).map((o) => o.notice_id)).toEqual(["late"]);
    expect(await countOpportunities({ naics: ["5617"] })).toBe(30);
  });

  it("pages never repeat or skip rows while new matching rows are inserted", async () => {
    const before = (await allPages({ naics: ["5617"] }, 100)).map((o) => o.notice_id);
    let extra = 0;
    const paged = await allPages({ naics: ["5617"] }, 7, async () => {
      extra++;
      // Newer than everything: would land on page one and shift every later page.
      await db()
        .insert(opportunities)
        .values(
          opp({ title: `New janitorial ${extra}`, naicsCode: "561720", postedAt: new Date("2027-01-01T00:00:00Z") }),
        );
    });
    expect(paged.map((o) => o.notice_id)).toEqual(before);
    const rankedBefore = (await allPages({ q: "janitorial services" }, 100)).map((o) => o.notice_id);
    const rankedPaged = await allPages({ q: "janitorial services" }, 4, async () => {
      await db()
        .insert(opportunities)
        .values(opp({ title: "Janitorial services janitorial services", naicsCode: "561720" }));
    });
    expect(rankedPaged.map((o) => o.notice_id)).toEqual(rankedBefore);
    expect(new Set(rankedPaged.map((o) => o.notice_id)).size).toBe(rankedPaged.length);
  });

  it("refuses a cursor from another search", async () => {
    const { nextCursor } = await searchOpportunities({ naics: ["5617"] }, { limit: 2 });
    expect((await appErrorOf(searchOpportunities({ naics: ["5415"] }, { cursor: nextCursor! }))).code).toBe(
      "validation_failed",
    );
    expect((await appErrorOf(searchOpportunities({}, { cursor: "garbage" }))).code).toBe("validation_failed");
  });

  it("finds one opportunity by notice id, 404 otherwise", async () => {
    expect((await getOpportunity("paving")).title).toBe("Parking lot paving");
    expect((await appErrorOf(getOpportunity("nope"))).code).toBe("not_found");
    expect((await appErrorOf(getOpportunity("'; drop table opportunities;--"))).code).toBe("not_found");
  });
});

describeEachDatabase("search result excerpts", () => {
  // Filler of 40-word passages ("lorem0 … lorem39"), so a word's passage is known by its position.
  const filler = (words: number, from = 0) =>
    Array.from({ length: words }, (_, i) => `lorem${(from + i) % 40}`).join(" ");
  const late = `${filler(200)} the hydroelectric turbine overhaul is due ${filler(60, 6)}`;

  beforeAll(async () => {
    await db()
      .insert(opportunities)
      .values([
        opp({
          noticeId: "late-word",
          title: "Dam works",
          naicsCode: "811310",
          description: late,
          descriptionExcerpt: "Dam works.",
        }),
        opp({
          noticeId: "title-only",
          title: "Turbine inspection",
          naicsCode: "811310",
          description: filler(120),
          descriptionExcerpt: "Inspection of <b>two</b> units.",
        }),
        opp({
          noticeId: "beyond-text",
          title: "Generator works",
          naicsCode: "811310",
          description: `${filler(700)} gearbox`,
          descriptionExcerpt: "Generator works, first words.",
        }),
        opp({
          noticeId: "two-passages",
          title: "Plant works",
          naicsCode: "811310",
          description: `${filler(50)} spillway ${filler(100, 11)} penstock ${filler(10)}`,
          descriptionExcerpt: "Plant works.",
        }),
      ]);
  });

  async function excerptOf(q: string, noticeId: string) {
    const { data } = await searchOpportunities({ q, naics: ["811310"] }, { limit: 10 });
    const hit = data.find((o) => o.notice_id === noticeId);
    if (!hit) throw new Error(`${noticeId} not found for ${q}`);
    return hit;
  }

  it("highlights the passage where a keyword first appears, however deep in the text, and only around it", async () => {
    const hit = await excerptOf("turbines", "late-word");
    expect(hit.highlights.excerpt).toContain("<mark>turbine</mark>");
    expect(hit.highlights.excerpt).toContain("hydroelectric");
    expect(hit.highlights.excerpt).not.toContain("lorem0 lorem1 lorem2");
    expect(hit.highlights.excerpt.length).toBeLessThan(600);
    expect(hit.matched.keywords).toEqual(["turbine"]);
  });

  it("shows the stored excerpt, escaped, when only the title matched", async () => {
    const hit = await excerptOf("turbine", "title-only");
    expect(hit.highlights.title).toContain("<mark>Turbine</mark>");
    expect(hit.highlights.excerpt).toBe("Inspection of &lt;b&gt;two&lt;/b&gt; units.");
  });

  it("finds a word past the first 4,000 characters, whose excerpt is then the stored one", async () => {
    const hit = await excerptOf("gearbox", "beyond-text");
    expect(hit.highlights.excerpt).toBe("Generator works, first words.");
  });

  it("with words in different passages, highlights the first of them", async () => {
    const hit = await excerptOf("penstock spillway", "two-passages");
    expect(hit.highlights.excerpt).toContain("<mark>spillway</mark>");
    expect(hit.highlights.excerpt).not.toContain("<mark>penstock</mark>");
  });
});

describe("query validation", () => {
  it("accepts repeated keys and refuses bad values and unknown parameters", () => {
    expect(opportunityQuerySchema.parse({ naics: ["5415", "31-33"], state: "va" })).toMatchObject({
      naics: ["5415", "31-33"],
      state: ["VA"],
      limit: 20,
    });
    for (const bad of [
      { naics: "54x" },
      { state: "Virginia" },
      { limit: "0" },
      { limit: "101" },
      { as_of: "yesterday" },
      { sort: "new" },
      { q: "x".repeat(501) },
    ]) {
      expect(opportunityQuerySchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
