import { asc, ilike, inArray, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { naicsCodes } from "@/db/schema";
import { NAICS_FILTER_PATTERN, RANGE_SECTORS } from "./schemas";

export { NAICS_FILTER_PATTERN, RANGE_SECTORS };

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

/**
 * Everyday words small contractors use that the official titles do not contain: "cyber" is in
 * no 2022 NAICS title, yet cybersecurity firms bid under 5415xx. Codes listed first.
 */
export const NAICS_SYNONYMS: Record<string, string[]> = {
  cyber: ["541512", "541519", "541511", "5415", "518210"],
  cybersecurity: ["541512", "541519", "541511", "5415", "518210"],
  it: ["5415", "541512", "541511", "541519", "518210"],
  software: ["541511", "513210", "5415"],
  cloud: ["518210", "541512", "541519"],
  hosting: ["518210"],
  data: ["518210", "541512", "541519"],
  website: ["541511", "541430"],
  web: ["541511", "518210"],
  hvac: ["238220"],
  plumbing: ["238220"],
  roofing: ["238160"],
  paving: ["238990", "237310"],
  janitorial: ["561720"],
  cleaning: ["561720"],
  landscaping: ["561730"],
  consulting: ["541611", "541618", "541690"],
  staffing: ["561320", "561311"],
  training: ["611430", "611699"],
  medical: ["339112", "423450", "621999"],
  translation: ["541930"],
  logistics: ["541614", "488510"],
};

/** Picker search over the official list: by code prefix ("5415"), everyday words ("cyber") or title words. */
export async function searchNaicsCodes(query: string, limit = 20) {
  const q = query.trim().slice(0, 100);
  const capped = Math.min(Math.max(limit, 1), 50);
  if (!q) return [];
  const synonymCodes = NAICS_SYNONYMS[q.toLowerCase()];
  if (synonymCodes) {
    const rows = await db().select().from(naicsCodes).where(inArray(naicsCodes.code, synonymCodes));
    const byCode = new Map(rows.map((r) => [r.code, r]));
    const listed = synonymCodes.map((c) => byCode.get(c)).filter((r): r is NonNullable<typeof r> => Boolean(r));
    const titled = (await searchNaicsTitles(q, capped)).filter((r) => !byCode.has(r.code));
    return [...listed, ...titled].slice(0, capped);
  }
  if (/^\d[\d-]*$/.test(q)) {
    return db()
      .select()
      .from(naicsCodes)
      .where(sql`${naicsCodes.code} like ${`${q}%`}`)
      .orderBy(asc(naicsCodes.level), asc(naicsCodes.code))
      .limit(capped);
  }
  return searchNaicsTitles(q, capped);
}

async function searchNaicsTitles(q: string, capped: number) {
  const words = q.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 5);
  const escaped = words.map((w) => `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  return db()
    .select()
    .from(naicsCodes)
    .where(
      sql.join(
        escaped.map((pattern) => sql`(${ilike(naicsCodes.title, pattern)})`),
        sql` and `,
      ),
    )
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
