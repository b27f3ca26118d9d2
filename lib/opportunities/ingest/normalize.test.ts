import fs from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import {
  agencyPathOf,
  descriptionExcerptOf,
  normalizeApiRecord,
  normalizeCsvRecord,
  normalizeSetAsideCode,
  type NewOpportunity,
  type NormalizeResult,
} from "./normalize";
import { amountCents } from "./notice-details";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(path.join(ROOT, file), "utf8")) as T;

const bundled = readJson<Record<string, unknown>[]>("db/seed-data/sam/contract-opportunities_2026-04-24.json");
const csvRows: Record<string, string>[] = parse(
  fs.readFileSync(path.join(ROOT, "tests/fixtures/sam/ContractOpportunitiesFullCSV_sample_901rows.csv")),
  { columns: true, bom: true },
);
const apiDir = "tests/fixtures/sam/api-v2";
const alpha = readJson<{ opportunitiesData: Record<string, unknown>[] }>(
  `${apiDir}/alpha_test-environment_901.json`,
).opportunitiesData;

function ok(result: NormalizeResult): NewOpportunity {
  if (!result.ok) throw new Error(`rejected: ${result.rejection.message}`);
  return result.opportunity;
}

const fromBundle = bundled.map((row) => ok(normalizeCsvRecord(row)));
const byNotice = (rows: NewOpportunity[], id: string) => rows.find((r) => r.noticeId === id)!;

/** A valid extract row with every column empty but the essentials. */
function csvRow(overrides: Record<string, string>): Record<string, string> {
  const blank = Object.fromEntries(Object.keys(csvRows[0]!).map((k) => [k, ""]));
  return {
    ...blank,
    NoticeId: "abc123",
    Title: "Janitorial services",
    PostedDate: "2026-04-24 10:00:00.000-04",
    ...overrides,
  };
}

describe("normalizeCsvRecord on the bundled extract (901 real rows)", () => {
  it("normalises every row, as 'sam_csv', keeping the original record", () => {
    expect(fromBundle).toHaveLength(901);
    expect(new Set(fromBundle.map((r) => r.noticeId)).size).toBe(901);
    expect(fromBundle.every((r) => r.source === "sam_csv")).toBe(true);
    expect(fromBundle[0]!.raw).toEqual(bundled[0]);
  });

  it("maps a known row exactly", () => {
    const row = byNotice(fromBundle, "93ff6984aa124180ac68e67f7d1ab55d");
    expect(row).toMatchObject({
      title: "F--Navajo Area - Abandoned Mines Response and Construction Services",
      solicitationNumber: "68HE0926R0006",
      department: "ENVIRONMENTAL PROTECTION AGENCY",
      subTier: "ENVIRONMENTAL PROTECTION AGENCY",
      office: "REGION 9 CONTRACTING OFFICE",
      // The sub-tier repeats the department: said once.
      agencyPath: "ENVIRONMENTAL PROTECTION AGENCY / REGION 9 CONTRACTING OFFICE",
      type: "Presolicitation",
      baseType: "Special Notice",
      naicsCode: "562910",
      classificationCode: "F108",
      setAsideCode: "SBA",
      setAsideDescription: "Total Small Business Set-Aside (FAR 19.5)",
      archiveDate: "2027-12-30",
      active: true,
      popState: null,
      popCity: null,
      popCountry: null,
      uiLink: "https://sam.gov/workspace/contract/opp/93ff6984aa124180ac68e67f7d1ab55d/view",
      additionalInfoLink: null,
    });
    // "2026-04-24 23:24:04.649-04" is the next day in UTC.
    expect(row.postedAt.toISOString()).toBe("2026-04-25T03:24:04.649Z");
    expect(row.responseDeadline!.toISOString()).toBe("2026-05-01T23:30:00.000Z");
    expect(row.description).toMatch(/^Pre-Solicitation Notice Amendment for Navajo Area/);
    expect(row.descriptionExcerpt).toMatch(/^Pre-Solicitation Notice Amendment for Navajo Area .* This is not a…$/);
  });

  it("counts what the provenance notes say: 20 empty NAICS codes, 194 rows without a deadline", () => {
    expect(fromBundle.filter((r) => r.naicsCode === null)).toHaveLength(20);
    expect(fromBundle.filter((r) => r.responseDeadline === null)).toHaveLength(194);
    expect(fromBundle.every((r) => r.naicsCode === null || /^\d{2,6}$/.test(r.naicsCode ?? ""))).toBe(true);
  });

  it("reads the '[\"SBA\"]' set-aside quirk as SBA and '' / NONE as none", () => {
    const quirky = bundled
      .filter((r) => r.SetASideCode === '["SBA"]')
      .map((r) => byNotice(fromBundle, r.NoticeId as string));
    expect(quirky).toHaveLength(5);
    for (const row of quirky)
      expect(row).toMatchObject({
        setAsideCode: "SBA",
        setAsideDescription: "Total Small Business Set-Aside (FAR 19.5)",
      });
    expect(fromBundle.filter((r) => r.setAsideCode === "SBA")).toHaveLength(266 + 5);
    const none = fromBundle.filter((r) => r.setAsideCode === null);
    expect(none).toHaveLength(379 + 171);
    expect(none.every((r) => r.setAsideDescription === null)).toBe(true);
  });

  it("keeps two-letter US places of performance and drops foreign subdivision codes", () => {
    const twoLetter = bundled.filter((r) => /^[A-Z]{2}$/.test(r.PopState as string)).length;
    expect(fromBundle.filter((r) => r.popState !== null)).toHaveLength(twoLetter);
    expect(fromBundle.every((r) => r.popState === null || /^[A-Z]{2}$/.test(r.popState ?? ""))).toBe(true);
    const mexican = bundled.find((r) => r.PopState === "MX-NLE")!;
    expect(byNotice(fromBundle, mexican.NoticeId as string)).toMatchObject({ popState: null, popCountry: "MEX" });
  });

  it("writes every excerpt on one line, at most ~280 characters, ending at a word with …", () => {
    for (const row of fromBundle) {
      expect(row.descriptionExcerpt!.length).toBeLessThanOrEqual(281);
      expect(row.descriptionExcerpt).not.toMatch(/\s{2,}|\n/);
      if (row.description!.length > 280) expect(row.descriptionExcerpt).toMatch(/\S…$/);
      else expect(row.descriptionExcerpt).toBe(row.description!.replace(/\s+/g, " "));
    }
  });

  it("normalises the CSV file of the same rows to the same values", () => {
    expect(csvRows).toHaveLength(901);
    const fromCsv = csvRows.map((row) => ok(normalizeCsvRecord(row)));
    const withoutRaw = ({ raw: _raw, ...rest }: NewOpportunity) => rest;
    expect(fromCsv.map(withoutRaw)).toEqual(fromBundle.map(withoutRaw));
  });

  it("reads the points of contact, the award and the agency levels; the extract lists no attachments", () => {
    expect(byNotice(fromBundle, "93ff6984aa124180ac68e67f7d1ab55d")).toMatchObject({
      agencyLevels: ["ENVIRONMENTAL PROTECTION AGENCY", "REGION 9 CONTRACTING OFFICE"],
      contacts: [
        { type: "primary", name: "Hill, Wanda", title: null, email: "hill.wanda@epa.gov", phone: "(415) 972-3673" },
      ],
      resourceLinks: [],
      award: null,
    });
    expect(byNotice(fromBundle, "eee052a923d5425c98e40ead3d9759dd")).toMatchObject({
      contacts: [
        { type: "primary", name: "Nathalie Zielinski", email: "nathalie.zielinski@navy.mil", phone: "5599983892" },
        { type: "secondary", name: "Antonio Harley", email: "antonio.b.harley2.civ@us.navy.mil", phone: "5599982086" },
      ],
      award: {
        number: "N62473-21-D-1221",
        date: "2026-04-21",
        amountCents: 115_438_700,
        awardee: "COMMAND PERFORMANCE CONSTRUCTORS INC Long Beach CA 90802 USA",
      },
    });
    // A level whose own name holds " / " stays one level.
    expect(byNotice(fromBundle, "95b8152b50e24340b688d4fdd4670c7e").agencyLevels).toEqual([
      "JUSTICE, DEPARTMENT OF",
      "FEDERAL PRISON SYSTEM / BUREAU OF PRISONS",
      "FAO",
    ]);
    expect(fromBundle.filter((r) => r.contacts!.length > 0)).toHaveLength(899);
    expect(fromBundle.filter((r) => r.contacts!.some((c) => c.type === "secondary"))).toHaveLength(347);
    // The "null " awardee of rows without an award is no award.
    expect(fromBundle.filter((r) => r.award !== null)).toHaveLength(186);
    expect(fromBundle.every((r) => r.resourceLinks!.length === 0)).toBe(true);
  });
});

describe("normalizeCsvRecord rules", () => {
  it("trims every field and turns empty strings into null", () => {
    const row = ok(
      normalizeCsvRecord(
        csvRow({
          NoticeId: "  abc123 ",
          Title: "  Janitorial \n services  ",
          "Sol#": "   ",
          PopState: " va ",
          PopCountry: "usa",
          PopCity: " Richmond ",
          Link: " ",
          NaicsCode: "  561720 ",
        }),
      ),
    );
    expect(row).toMatchObject({
      noticeId: "abc123",
      title: "Janitorial services",
      solicitationNumber: null,
      popState: "VA",
      popCountry: "USA",
      popCity: "Richmond",
      uiLink: null,
      naicsCode: "561720",
      type: null,
      setAsideCode: null,
    });
    expect(row.agencyPath).toBe("");
    expect(row.description).toBe("");
    expect(row.descriptionExcerpt).toBe("");
  });

  it("rejects a record without a usable notice id, title or posted date, with a typed reason", () => {
    expect(normalizeCsvRecord(csvRow({ PostedDate: "" }))).toEqual({
      ok: false,
      rejection: {
        reason: "invalid_posted_date",
        noticeId: "abc123",
        message: expect.stringMatching(/no posted date/),
      },
    });
    expect(normalizeCsvRecord(csvRow({ PostedDate: "24/04/2026" }))).toMatchObject({
      ok: false,
      rejection: { reason: "invalid_posted_date", message: expect.stringContaining("24/04/2026") },
    });
    expect(normalizeCsvRecord(csvRow({ NoticeId: " " }))).toMatchObject({
      ok: false,
      rejection: { reason: "missing_notice_id", noticeId: null },
    });
    expect(normalizeCsvRecord(csvRow({ Title: "" }))).toMatchObject({
      ok: false,
      rejection: { reason: "missing_title" },
    });
  });

  it("sets an unparseable deadline or archive date to null rather than rejecting", () => {
    const row = ok(normalizeCsvRecord(csvRow({ ResponseDeadLine: "TBD", ArchiveDate: "never" })));
    expect(row.responseDeadline).toBeNull();
    expect(row.archiveDate).toBeNull();
  });

  it("reads Active and strips NUL bytes PostgreSQL would refuse", () => {
    expect(ok(normalizeCsvRecord(csvRow({ Active: "No" }))).active).toBe(false);
    expect(ok(normalizeCsvRecord(csvRow({ Active: "" }))).active).toBe(true);
    const row = ok(normalizeCsvRecord(csvRow({ Title: "Bad\u0000 byte" })));
    expect(row.title).toBe("Bad byte");
    expect(JSON.stringify(row.raw)).not.toContain("\\u0000");
  });
});

describe("normalisation helpers", () => {
  it("reads set-aside codes", () => {
    expect(normalizeSetAsideCode("")).toBeNull();
    expect(normalizeSetAsideCode(" none ")).toBeNull();
    expect(normalizeSetAsideCode(null)).toBeNull();
    expect(normalizeSetAsideCode('["SBA"]')).toBe("SBA");
    expect(normalizeSetAsideCode('["8A", "SBA"]')).toBe("8A");
    expect(normalizeSetAsideCode("[]")).toBeNull();
    expect(normalizeSetAsideCode("['HZC'")).toBe("HZC");
    expect(normalizeSetAsideCode(" SDVOSBC ")).toBe("SDVOSBC");
  });

  it("joins agency names without empties or a repeated parent", () => {
    expect(agencyPathOf(["VETERANS AFFAIRS, DEPARTMENT OF", "Veterans Affairs, Department of", "NAC"])).toBe(
      "VETERANS AFFAIRS, DEPARTMENT OF / NAC",
    );
    expect(agencyPathOf([null, "  ", "OFFICE"])).toBe("OFFICE");
    expect(agencyPathOf(["A", "B", "A"])).toBe("A / B / A");
  });

  it("reads award amounts as integer cents", () => {
    expect(amountCents("1154387.00")).toBe(115_438_700);
    expect(amountCents("$1,234.5")).toBe(123_450);
    expect(amountCents("129000")).toBe(12_900_000);
    expect(amountCents("100883.239")).toBe(10_088_323);
    expect(amountCents("")).toBeNull();
    expect(amountCents("TBD")).toBeNull();
    expect(amountCents("-5")).toBeNull();
  });

  it("cuts excerpts at a word boundary", () => {
    const words = Array.from({ length: 100 }, (_, i) => `word${i}`).join(" \n ");
    const excerpt = descriptionExcerptOf(words);
    expect(excerpt.length).toBeLessThanOrEqual(281);
    expect(excerpt).toMatch(/^word0 word1 .* word\d+…$/);
    expect(descriptionExcerptOf("short   text\n")).toBe("short text");
    expect(descriptionExcerptOf("x".repeat(400))).toBe(`${"x".repeat(280)}…`);
  });
});

describe("normalizeApiRecord on recorded Get Opportunities v2 responses", () => {
  const fromAlpha = alpha.map((r) => ok(normalizeApiRecord(r)));

  it("normalises all 901 alpha records as 'sam_api'; 54 have no NAICS code", () => {
    expect(fromAlpha).toHaveLength(901);
    expect(fromAlpha.every((r) => r.source === "sam_api")).toBe(true);
    expect(fromAlpha.filter((r) => r.naicsCode === null)).toHaveLength(54);
    expect(fromAlpha[0]!.raw).toEqual(alpha[0]);
  });

  it("maps a known record: the agency from fullParentPathName, the description link kept out of the text", () => {
    const row = byNotice(fromAlpha, "ff451472599545b88d5d260365c9c55a");
    expect(row).toMatchObject({
      title: "Runway Rubber Removal",
      department: "DEPT OF DEFENSE",
      subTier: "DEPT OF THE AIR FORCE",
      office: "FA3047 802 CONS CC JBSA",
      agencyPath:
        "DEPT OF DEFENSE / DEPT OF THE AIR FORCE / AETC / JBSA - LACKLAND (JOINT BASE SAN ANTONIO) / FA3047 802 CONS CC JBSA",
      naicsCode: "237310",
      setAsideCode: "SBA",
      setAsideDescription: "Total Small Business Set-Aside (FAR 19.5)",
      archiveDate: "2025-03-04",
      popState: "TX",
      popCity: "Heartland",
      popCountry: "USA",
      uiLink: "https://alpha.sam.gov/opp/ff451472599545b88d5d260365c9c55a/view",
      description: "",
      descriptionExcerpt: "",
    });
    // A date-only posted date is the start of that day in Washington (EST in January).
    expect(row.postedAt.toISOString()).toBe("2025-01-31T05:00:00.000Z");
    expect(row.responseDeadline!.toISOString()).toBe("2025-02-03T19:30:00.000Z");
    expect(fromAlpha.every((r) => r.description === "")).toBe(true);
  });

  it("reads pointOfContact[], resourceLinks[] and award{}", () => {
    const row = byNotice(fromAlpha, "ff451472599545b88d5d260365c9c55a");
    expect(row.contacts).toEqual([
      {
        type: "primary",
        name: "Millye Santiago-Cruz",
        title: null,
        email: "millye.santiago-cruz@us.af.mil",
        phone: "2108675309",
      },
      {
        type: "secondary",
        name: "TSgt JanMichael Bunda",
        title: null,
        email: "janmichael.bunda@us.af.mil",
        phone: "2108675309",
      },
    ]);
    expect(row.resourceLinks).toHaveLength(4);
    expect(row.resourceLinks![0]).toBe(
      "https://alpha.sam.gov/api/prodlike/opps/v3/opportunities/resources/files/4a7e951ddae24f2a8868822e7b688ad3/download",
    );
    expect(row.agencyLevels).toEqual([
      "DEPT OF DEFENSE",
      "DEPT OF THE AIR FORCE",
      "AETC",
      "JBSA - LACKLAND (JOINT BASE SAN ANTONIO)",
      "FA3047 802 CONS CC JBSA",
    ]);
    expect(byNotice(fromAlpha, "febdce747fed4c8caa16582c210b1db3").award).toEqual({
      number: "S0001",
      date: "2026-10-01",
      amountCents: 1_000_000_000,
      awardee: "Perspec1",
    });
    expect(fromAlpha.filter((r) => r.resourceLinks!.length > 0)).toHaveLength(310);
    expect(fromAlpha.reduce((n, r) => n + r.resourceLinks!.length, 0)).toBe(694);

    const [production] = readJson<{ opportunitiesData: Record<string, unknown>[] }>(
      `${apiDir}/prod_search_by_solnum.json`,
    ).opportunitiesData.map((r) => ok(normalizeApiRecord(r)));
    expect(production!.resourceLinks).toHaveLength(12);
    // Production omits title and fax, and leaves phone empty.
    expect(production!.contacts).toEqual([
      { type: "primary", name: "Brian Wodzisz", title: null, email: "Brian.Wodzisz@fda.hhs.gov", phone: null },
      { type: "secondary", name: "Peter Lee", title: null, email: "Peter.Lee@fda.hhs.gov", phone: null },
    ]);
  });

  it("keeps only web links, once each, and a contact only when it reaches someone", () => {
    const row = ok(
      normalizeApiRecord({
        noticeId: "n3",
        title: "Links",
        postedDate: "2026-04-24",
        resourceLinks: ["https://sam.gov/a", "null", "ftp://x", "https://sam.gov/a", 7, "HTTPS://sam.gov/b"],
        pointOfContact: [{ title: "Contracting Officer ", fax: "" }, { fullName: " Ann  Lee ", phone: "" }, "nobody"],
        award: { number: "", amount: null, awardee: null },
      }),
    );
    expect(row.resourceLinks).toEqual(["https://sam.gov/a", "HTTPS://sam.gov/b"]);
    expect(row.contacts).toEqual([{ type: "secondary", name: "Ann Lee", title: null, email: null, phone: null }]);
    expect(row.award).toBeNull();
  });

  it("drops foreign subdivision codes such as BR-SP from popState", () => {
    const brazil = fromAlpha.filter((r) => r.popCountry === "BRA");
    expect(brazil.length).toBeGreaterThan(0);
    expect(brazil.every((r) => r.popState === null)).toBe(true);
  });

  it("reads the documentation's deprecated department/subTier/office and trims padded values", () => {
    const [record] = readJson<{ opportunitiesData: Record<string, unknown>[] }>(
      `${apiDir}/gsa_doc_example_1.json`,
    ).opportunitiesData;
    expect(ok(normalizeApiRecord(record!))).toMatchObject({
      title: "Historic Office Renovation",
      solicitationNumber: "47PF0018R0023",
      agencyPath: "GENERAL SERVICES ADMINISTRATION / PUBLIC BUILDINGS SERVICE / PBS R5",
      popState: "WI",
      popCity: "Milwaukee",
      responseDeadline: null,
      setAsideCode: null,
    });
  });

  it("treats the string 'null' as a missing link or description", () => {
    const record = readJson<Record<string, unknown>>(`${apiDir}/gsa_doc_example_2.json`);
    expect(ok(normalizeApiRecord(record))).toMatchObject({
      uiLink: null,
      description: "",
      naicsCode: null,
      classificationCode: null,
      popState: null,
    });
  });

  it("reads production records (typeOfSetAside '' and NONE, deadlines with offsets)", () => {
    const rows = readJson<{ opportunitiesData: Record<string, unknown>[] }>(
      `${apiDir}/prod_search_2026-02-02_limit10.json`,
    ).opportunitiesData.map((r) => ok(normalizeApiRecord(r)));
    expect(rows).toHaveLength(10);
    expect(rows.filter((r) => r.setAsideCode !== null).map((r) => r.setAsideCode)).toEqual(["SBA"]);
    expect(rows[0]!.responseDeadline!.toISOString()).toBe("2026-03-02T21:00:00.000Z");
    expect(rows[0]!.postedAt.toISOString()).toBe("2026-02-02T05:00:00.000Z");
  });

  it("accepts the documented field names and naicsCodes[] when naicsCode is missing", () => {
    const row = ok(
      normalizeApiRecord({
        noticeId: "n1",
        title: "Cloud hosting",
        postedDate: "2026-04-24 09:15:00",
        setAsideCode: "WOSB",
        setAside: "Women-Owned Small Business (WOSB) Program Set-Aside (FAR 19.15)",
        reponseDeadLine: "2026-05-01T12:00:00-04:00",
        naicsCode: "",
        naicsCodes: ["518210"],
        active: "No",
        placeOfPerformance: { state: { code: "md" }, country: { code: "USA" }, city: { name: " Baltimore " } },
      }),
    );
    expect(row).toMatchObject({
      setAsideCode: "WOSB",
      naicsCode: "518210",
      active: false,
      popState: "MD",
      popCity: "Baltimore",
      agencyPath: "",
    });
    expect(row.postedAt.toISOString()).toBe("2026-04-24T13:15:00.000Z");
    expect(row.responseDeadline!.toISOString()).toBe("2026-05-01T16:00:00.000Z");
  });

  it("rejects a record without a posted date", () => {
    expect(normalizeApiRecord({ noticeId: "n2", title: "T", postedDate: null })).toMatchObject({
      ok: false,
      rejection: { reason: "invalid_posted_date", noticeId: "n2" },
    });
  });
});
