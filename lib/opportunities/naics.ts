import { asc, ilike, inArray, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { naicsCodes } from "@/db/schema";

/** The 2022 sectors that are ranges: their subsectors start with any of the listed digits. */
export const RANGE_SECTORS: Record<string, string[]> = {
  "31-33": ["31", "32", "33"],
  "44-45": ["44", "45"],
  "48-49": ["48", "49"],
};

export const NAICS_FILTER_PATTERN = /^(\d{2,6}|31-33|44-45|48-49)$/;

/** A NAICS filter → the code prefixes it covers (`5415` → [`5415`], `31-33` → [`31`,`32`,`33`]). */
export function naicsPrefixes(filter: string): string[] {
  return RANGE_SECTORS[filter] ?? [filter];
}

/** The sector a code belongs to, resolving range sectors (`336411` → `31-33`). */
export function naicsSector(code: string): string {
  const two = code.slice(0, 2);
  for (const [range, prefixes] of Object.entries(RANGE_SECTORS)) if (prefixes.includes(two)) return range;
  return two;
}

/** Which of the filters matched a notice's code, for "why it matched". */
export function matchingNaicsFilter(code: string | null, filters: readonly string[]): string | null {
  if (!code) return null;
  return filters.find((f) => naicsPrefixes(f).some((p) => code.startsWith(p))) ?? null;
}

/** Picker search over the official list: by code prefix ("5415") or words in the title ("cyber"). */
export async function searchNaicsCodes(query: string, limit = 20) {
  const q = query.trim().slice(0, 100);
  const capped = Math.min(Math.max(limit, 1), 50);
  if (!q) return [];
  if (/^\d[\d-]*$/.test(q)) {
    return db()
      .select()
      .from(naicsCodes)
      .where(sql`${naicsCodes.code} like ${`${q}%`}`)
      .orderBy(asc(naicsCodes.level), asc(naicsCodes.code))
      .limit(capped);
  }
  const words = q.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 5);
  const escaped = words.map((w) => `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  return db()
    .select()
    .from(naicsCodes)
    .where(sql.join(escaped.map((pattern) => sql`(${ilike(naicsCodes.title, pattern)})`), sql` and `))
    .orderBy(asc(naicsCodes.level), asc(naicsCodes.code))
    .limit(capped);
}

export async function naicsTitles(codes: readonly string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await db()
    .select()
    .from(naicsCodes)
    .where(inArray(naicsCodes.code, [...codes]));
  return new Map(rows.map((r) => [r.code, r.title]));
}
