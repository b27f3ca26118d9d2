import fs from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { sql } from "drizzle-orm";
import { db, type DbOrTx } from "@/db/client";
import { naicsCodes } from "@/db/schema";

/** The official 2022 NAICS list (code,title), relative to the project root. See its PROVENANCE.md. */
export const NAICS_CODES_FILE = "db/seed-data/naics/naics_2022_codes.csv";

const CODE = /^(\d{2,6}|\d{2}-\d{2})$/;
const BATCH_SIZE = 500;

/** 2 for a sector (also the range sectors "31-33", "44-45", "48-49"), up to 6 for a national industry. */
export function naicsLevel(code: string): number {
  return code.includes("-") ? 2 : code.length;
}

/** Reads a code,title CSV; throws on a row that is not a NAICS code with a title. */
// turbopackIgnore: the file is read at run time from the project root; the build need not trace it.
export function readNaicsCodes(filePath = path.resolve(/* turbopackIgnore: true */ process.cwd(), NAICS_CODES_FILE)) {
  const records: Record<string, string>[] = parse(fs.readFileSync(filePath), {
    columns: true,
    bom: true,
    skip_empty_lines: true,
    trim: true,
  });
  return records.map((record, index) => {
    const code = record.code ?? "";
    const title = (record.title ?? "").replace(/\s+/g, " ");
    if (!CODE.test(code) || title === "")
      throw new Error(`${filePath} row ${index + 2}: not a NAICS code and title (${JSON.stringify(record)})`);
    return { code, title, level: naicsLevel(code) };
  });
}

/** Upserts the NAICS list into `naics_codes` (idempotent); returns how many codes the file holds. */
export async function loadNaicsCodes(options: { filePath?: string; db?: DbOrTx } = {}): Promise<{ codes: number }> {
  const rows = readNaicsCodes(options.filePath);
  const dbx = options.db ?? db();
  for (let start = 0; start < rows.length; start += BATCH_SIZE) {
    await dbx
      .insert(naicsCodes)
      .values(rows.slice(start, start + BATCH_SIZE))
      .onConflictDoUpdate({ target: naicsCodes.code, set: { title: sql`excluded.title`, level: sql`excluded.level` } });
  }
  return { codes: rows.length };
}
