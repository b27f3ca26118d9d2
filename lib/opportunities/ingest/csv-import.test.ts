import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { opportunities } from "@/db/schema";
import { appErrorOf } from "@/tests/app-error";
import { describeEachDatabase } from "@/tests/db";
import { decodeWindows1252, importOpportunitiesCsv, tolerantLineDecoder } from "./csv-import";
import { importBundledOpportunities, importOpportunitiesFile } from "./file-import";
import type { Rejection } from "./normalize";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const FIXTURE_CSV = path.join(ROOT, "tests/fixtures/sam/ContractOpportunitiesFullCSV_sample_901rows.csv");
const COLUMNS = fs
  .readFileSync(path.join(ROOT, "tests/fixtures/sam/ContractOpportunitiesFullCSV_columns.txt"), "utf8")
  .trim()
  .split(",");
const NOW = new Date("2026-04-25T12:00:00.000Z");

let tmpDir: string;
beforeAll(() => {
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "beacon-csv-"));
});
afterAll(() => {
  fs.rmSync(tmpDir, { recursive: true, force: true });
});

/** Windows-1252 bytes for text of Latin-1 letters and curly single quotes. */
const windows1252 = (text: string) => Buffer.from(text.replace(/\u2019/g, "\u0092"), "latin1");

/** A CSV line of the 47 columns with the given values (others empty). */
function csvLine(
  values: Record<string, string>,
  encode: (text: string) => Buffer = (text) => Buffer.from(text, "utf8"),
): Buffer {
  const cells = COLUMNS.map((c) => {
    const v = values[c] ?? "";
    return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  });
  return encode(`${cells.join(",")}\r\n`);
}

function writeCsv(name: string, ...lines: Buffer[]) {
  const file = path.join(tmpDir, name);
  fs.writeFileSync(file, Buffer.concat([Buffer.from(`${COLUMNS.join(",")}\r\n`), ...lines]));
  return file;
}

async function decodeChunks(chunks: Buffer[]) {
  let text = "";
  for await (const piece of Readable.from(chunks).pipe(tolerantLineDecoder()))
    text += (piece as Buffer).toString("utf8");
  return text;
}

describe("tolerantLineDecoder", () => {
  it("maps windows-1252's 0x80–0x9F block to its characters, not latin1's control codes", () => {
    expect(
      decodeWindows1252(Uint8Array.of(0x80, 0x85, 0x91, 0x92, 0x93, 0x94, 0x96, 0x97, 0x99, 0x9f, 0xe9, 0x41)),
    ).toBe("€…‘’“”–—™Ÿé" + "A");
    expect(decodeWindows1252(Buffer.from([0x00, 0x92]).subarray(1))).toBe("’");
  });

  it("keeps UTF-8 intact when a character is split across chunks", async () => {
    const bytes = Buffer.from("Café déjà vu\nnaïve ’quotes’\n", "utf8");
    const chunks = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
    expect(await decodeChunks(chunks)).toBe("Café déjà vu\nnaïve ’quotes’\n");
  });

  it("reads a line that is not UTF-8 as windows-1252, line by line in a mixed file", async () => {
    const windows1252 = Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0x92, 0x71, 0x92, 0x0a]); // Café ’q’
    const utf8 = Buffer.from("Café ’q’\n", "utf8");
    expect(
      await decodeChunks([
        windows1252.subarray(0, 4),
        windows1252.subarray(4),
        utf8,
        Buffer.from("no newline at the end"),
      ]),
    ).toBe("Café ’q’\nCafé ’q’\nno newline at the end");
  });
});

describeEachDatabase("CSV and JSON import", () => {
  it("imports the 901-row ContractOpportunitiesFullCSV fixture, then updates it in place", async () => {
    expect(await importOpportunitiesCsv(FIXTURE_CSV, { now: NOW })).toEqual({ inserted: 901, updated: 0, skipped: 0 });
    expect(await importOpportunitiesCsv(FIXTURE_CSV, { now: NOW })).toEqual({ inserted: 0, updated: 901, skipped: 0 });
    const [counts] = await db()
      .select({ n: sql<number>`count(*)::int`, notices: sql<number>`count(distinct notice_id)::int` })
      .from(opportunities);
    expect(counts).toEqual({ n: 901, notices: 901 });
    const [row] = await db()
      .select()
      .from(opportunities)
      .where(eq(opportunities.noticeId, "93ff6984aa124180ac68e67f7d1ab55d"));
    expect(row).toMatchObject({
      agencyPath: "ENVIRONMENTAL PROTECTION AGENCY / REGION 9 CONTRACTING OFFICE",
      setAsideCode: "SBA",
      archiveDate: "2027-12-30",
      source: "sam_csv",
    });
    expect(row!.postedAt.toISOString()).toBe("2026-04-25T03:24:04.649Z");
    expect((row!.raw as Record<string, string>).NoticeId).toBe("93ff6984aa124180ac68e67f7d1ab55d");
  });

  it("imports the bundled JSON with the same values as the CSV (all 901 already known)", async () => {
    expect(await importBundledOpportunities({ now: NOW })).toEqual({ inserted: 0, updated: 901, skipped: 0 });
    const [quirk] = await db()
      .select({ code: opportunities.setAsideCode })
      .from(opportunities)
      .where(eq(opportunities.noticeId, "9464f4b3682d412f985ca59b857ce1e6"));
    expect(quirk!.code).toBe("SBA");
  });

  it("decodes windows-1252 rows and skips malformed and rejected ones, counting them", async () => {
    const rejections: Rejection[] = [];
    const file = writeCsv(
      "mixed.csv",
      csvLine(
        {
          NoticeId: "cp1252-row",
          Title: "Caf\u00e9 \u2019renovation\u2019",
          PostedDate: "2026-04-24 10:00:00.000-04",
          Description: "Line one\nline two",
        },
        windows1252,
      ),
      csvLine({ NoticeId: "utf8-row", Title: "Café ’renovation’", PostedDate: "2026-04-24 11:00:00.000-04" }),
      csvLine({ NoticeId: "no-date", Title: "Undated", PostedDate: "" }),
      Buffer.from("short-row,only three,cells\r\n"),
    );
    expect(await importOpportunitiesCsv(file, { now: NOW, onReject: (r) => rejections.push(r) })).toEqual({
      inserted: 2,
      updated: 0,
      skipped: 2,
    });
    expect(rejections).toEqual([{ reason: "invalid_posted_date", noticeId: "no-date", message: expect.any(String) }]);
    const titles = await db()
      .select({ id: opportunities.noticeId, title: opportunities.title, excerpt: opportunities.descriptionExcerpt })
      .from(opportunities)
      .where(sql`${opportunities.noticeId} in ('cp1252-row', 'utf8-row')`)
      .orderBy(opportunities.noticeId);
    expect(titles).toEqual([
      { id: "cp1252-row", title: "Café ’renovation’", excerpt: "Line one line two" },
      { id: "utf8-row", title: "Café ’renovation’", excerpt: "" },
    ]);
  });

  it("refuses a file that is not an extract, and a missing file, as expected failures", async () => {
    const other = path.join(tmpDir, "other.csv");
    fs.writeFileSync(other, "id,name\n1,two\n");
    const notExtract = await appErrorOf(importOpportunitiesCsv(other));
    expect(notExtract.code).toBe("validation_failed");
    expect(notExtract.message).toMatch(/NoticeId/);
    expect((await appErrorOf(importOpportunitiesFile(path.join(tmpDir, "missing.csv")))).code).toBe("not_found");
    expect((await appErrorOf(importOpportunitiesFile(path.join(tmpDir, "missing.json")))).code).toBe("not_found");
  });

  it("imports a .json Get Opportunities response by its shape", async () => {
    const file = path.join(ROOT, "tests/fixtures/sam/api-v2/prod_search_2026-02-02_limit10.json");
    expect(await importOpportunitiesFile(file, { now: NOW })).toEqual({ inserted: 10, updated: 0, skipped: 0 });
    const [row] = await db()
      .select({ source: opportunities.source })
      .from(opportunities)
      .where(eq(opportunities.noticeId, "ff9642d70c15414a85940230450bda32"));
    expect(row!.source).toBe("sam_api");
    const bad = path.join(tmpDir, "bad.json");
    fs.writeFileSync(bad, '{"hello": 1}');
    expect((await appErrorOf(importOpportunitiesFile(bad))).code).toBe("validation_failed");
  });
});
