import { createHash } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import { opportunities } from "@/db/schema";
import { naicsPrefixes } from "./naics";

/** What an org does, as its business profile says: what a notice's fit is measured against. */
export interface FitProfile {
  naicsCodes: readonly string[];
  keywords: readonly string[];
  /** Set-asides the business qualifies for. */
  setAsides: readonly string[];
  /** Places of performance it works in. */
  states: readonly string[];
}

/** A notice the org marked "not relevant": what makes another notice similar to it. */
export interface NotRelevantMark {
  noticeId: string;
  solicitationNumber: string | null;
  agency: string;
  naicsCode: string | null;
  /** When it was marked: a "best fit" search's later pages score with the marks of its first. */
  markedAt?: Date;
}

/** The fields of a notice its fit is judged on. */
export interface FitInput {
  title: string;
  description: string;
  type: string | null;
  naicsCode: string | null;
  setAsideCode: string | null;
  popState: string | null;
  solicitationNumber: string | null;
  agency: string;
}

/** An org's side of fit: its profile and its not-relevant marks. */
export interface FitContext {
  /** Null before the org describes its business: nothing to score, but its marks still apply. */
  profile: FitProfile | null;
  notRelevant: readonly NotRelevantMark[];
}

export interface Fit {
  /** 0–100. */
  score: number;
  /** Why, in words, strongest first ("Exact NAICS 541512", "In VA", "'cloud' in title"). */
  reasons: string[];
}

/** The points; they add up to 100 for a notice that meets everything. */
export const FIT_POINTS = {
  naicsExact: 35,
  naicsParent: 20,
  setAside: 20,
  state: 10,
  keywordInTitle: 15,
  keywordInDescription: 5,
  /** Lost by a notice like one the org marked not relevant. */
  similarToNotRelevant: 30,
} as const;

/**
 * How far along the buying process a notice type is: a solicitation can be bid on now, a
 * presolicitation soon, sources sought only shapes one; an award or J&A is history.
 */
export const NOTICE_TYPE_POINTS: Record<string, number> = {
  Solicitation: 20,
  "Combined Synopsis/Solicitation": 20,
  Presolicitation: 12,
  "Sources Sought": 8,
  "Special Notice": 4,
};

/**
 * Keywords are scanned in the description's first characters only: the scope is stated up
 * front, and the digest run scores every new notice for every alert, so it must stay cheap.
 */
export const DESCRIPTION_SCAN = 4000;

const SET_ASIDE_WORDS: Record<string, string> = {
  SBA: "Small-business",
  SBP: "Partial small-business",
  "8A": "8(a)",
  "8AN": "8(a) sole-source",
  HZC: "HUBZone",
  HZS: "HUBZone sole-source",
  SDVOSBC: "SDVOSB",
  SDVOSBS: "SDVOSB sole-source",
  WOSB: "WOSB",
  WOSBSS: "WOSB sole-source",
  EDWOSB: "EDWOSB",
  EDWOSBSS: "EDWOSB sole-source",
  VSA: "Veteran-owned",
  VSS: "Veteran-owned sole-source",
  ISBEE: "ISBEE",
  IEE: "IEE",
};

/**
 * Text as keywords are looked for in it: runs of anything but ASCII letters and digits become
 * one space, letters lower case, a space at each end. JavaScript and PostgreSQL (`wordsSql`)
 * produce the same string, so a keyword is a plain substring test (` cloud `) in both: whole
 * words, any case, any punctuation between words — and no regular expression per keyword,
 * which PostgreSQL would compile again for every alert of a digest run.
 */
export function keywordText(text: string): string {
  return ` ${text.replace(/[^A-Za-z0-9]+/g, " ").toLowerCase()} `;
}

/** `keywordText` in SQL. */
export function wordsSql(text: SQL): SQL<string> {
  return sql<string>`(' ' || lower(regexp_replace(${text}, '[^A-Za-z0-9]+', ' ', 'g')) || ' ')`;
}

/** One keyword's words (`"Zero-Trust"` → `zero trust`), or null when it has no letters or digits. */
export function keywordWords(keyword: string): string | null {
  const words = keyword.toLowerCase().match(/[a-z0-9]+/g);
  return words ? words.join(" ") : null;
}

/** What `keywordText` must contain for a keyword to be there: the words, or with a plural "s". */
function keywordNeedles(keywords: readonly string[]) {
  return keywords.flatMap((k) => {
    const words = keywordWords(k);
    return words ? [{ keyword: k.trim(), needles: [` ${words} `, ` ${words}s `] }] : [];
  });
}

/** The profile's NAICS filters whose prefixes cover `code` without being it (`5415` covers `541512`). */
function parentNaics(code: string, profile: FitProfile): string | undefined {
  return profile.naicsCodes.find((f) => f !== code && naicsPrefixes(f).some((p) => code.startsWith(p)));
}

/** `agency|naics`: notices of the same office and industry as a not-relevant one are similar. */
function agencyNaicsKey(agency: string, naicsCode: string) {
  return `${agency}|${naicsCode}`;
}

function similarTo(o: FitInput, marks: readonly NotRelevantMark[]): boolean {
  return marks.some(
    (m) =>
      (m.solicitationNumber !== null && m.solicitationNumber === o.solicitationNumber) ||
      (m.naicsCode !== null &&
        o.naicsCode !== null &&
        agencyNaicsKey(m.agency, m.naicsCode) === agencyNaicsKey(o.agency, o.naicsCode)),
  );
}

function quoted(keywords: string[]) {
  return keywords
    .slice(0, 2)
    .map((k) => `‘${k}’`)
    .join(", ");
}

/**
 * The one definition of fit: a pure function of a notice and a profile (and the org's
 * not-relevant marks). `fitScoreSql` is the same arithmetic in SQL for ordering; a test compares
 * the two on the bundled notices.
 */
export function fitOf(o: FitInput, profile: FitProfile, notRelevant: readonly NotRelevantMark[] = []): Fit {
  let score = 0;
  const reasons: string[] = [];
  if (o.naicsCode && profile.naicsCodes.includes(o.naicsCode)) {
    score += FIT_POINTS.naicsExact;
    reasons.push(`Exact NAICS ${o.naicsCode}`);
  } else if (o.naicsCode) {
    const parent = parentNaics(o.naicsCode, profile);
    if (parent) {
      score += FIT_POINTS.naicsParent;
      reasons.push(`NAICS ${o.naicsCode} within your ${parent}`);
    }
  }
  if (o.setAsideCode && profile.setAsides.includes(o.setAsideCode)) {
    score += FIT_POINTS.setAside;
    reasons.push(`${SET_ASIDE_WORDS[o.setAsideCode] ?? o.setAsideCode} set-aside you qualify for`);
  }
  if (o.popState && profile.states.includes(o.popState)) {
    score += FIT_POINTS.state;
    reasons.push(`In ${o.popState}`);
  }
  const keywords = keywordNeedles(profile.keywords);
  const found = (text: string) => {
    const words = keywordText(text);
    return keywords.filter((k) => k.needles.some((n) => words.includes(n))).map((k) => k.keyword);
  };
  const inTitle = found(o.title);
  if (inTitle.length) {
    score += FIT_POINTS.keywordInTitle;
    reasons.push(`${quoted(inTitle)} in title`);
  } else {
    const inText = found(o.description.slice(0, DESCRIPTION_SCAN));
    if (inText.length) {
      score += FIT_POINTS.keywordInDescription;
      reasons.push(`${quoted(inText)} in description`);
    }
  }
  const typePoints = (o.type && NOTICE_TYPE_POINTS[o.type]) || 0;
  if (typePoints > 0) {
    score += typePoints;
    reasons.push(o.type!);
  }
  if (similarTo(o, notRelevant)) {
    score -= FIT_POINTS.similarToNotRelevant;
    reasons.push("Like a notice your team marked not relevant");
  }
  return { score: Math.max(score, 0), reasons };
}

/**
 * `fitOf`'s score as a SQL expression over `opportunities` (or a CTE aliased so), for ORDER BY.
 * Every term is a comparison with constants: no joins, no lookups per row. `words` are the
 * title's and description's `wordsSql`: a digest run computes them once per notice for all alerts.
 */
export function fitScoreSql(
  profile: FitProfile,
  notRelevant: readonly NotRelevantMark[] = [],
  words: { title: SQL; description: SQL } = {
    title: wordsSql(sql`${opportunities.title}`),
    description: wordsSql(sql`left(${opportunities.description}, ${sql.raw(String(DESCRIPTION_SCAN))})`),
  },
): SQL<number> {
  const o = opportunities;
  const terms: SQL[] = [];
  if (profile.naicsCodes.length) {
    const prefixes = profile.naicsCodes.flatMap(naicsPrefixes).map((p) => `${p}%`);
    terms.push(sql`(case when ${o.naicsCode} = any(${sql.param([...profile.naicsCodes])}::text[]) then ${sql.raw(String(FIT_POINTS.naicsExact))}
      when ${o.naicsCode} like any(${sql.param(prefixes)}::text[]) then ${sql.raw(String(FIT_POINTS.naicsParent))} else 0 end)`);
  }
  if (profile.setAsides.length)
    terms.push(
      sql`(case when ${o.setAsideCode} = any(${sql.param([...profile.setAsides])}::text[]) then ${sql.raw(String(FIT_POINTS.setAside))} else 0 end)`,
    );
  if (profile.states.length)
    terms.push(
      sql`(case when ${o.popState} = any(${sql.param([...profile.states])}::text[]) then ${sql.raw(String(FIT_POINTS.state))} else 0 end)`,
    );
  const needles = keywordNeedles(profile.keywords).flatMap((k) => k.needles.map((n) => `%${n}%`));
  if (needles.length) {
    const any = sql`like any(${sql.param(needles)}::text[])`;
    terms.push(sql`(case when ${words.title} ${any} then ${sql.raw(String(FIT_POINTS.keywordInTitle))}
      when ${words.description} ${any} then ${sql.raw(String(FIT_POINTS.keywordInDescription))} else 0 end)`);
  }
  const typeCases = Object.entries(NOTICE_TYPE_POINTS).map(
    ([type, points]) => sql`when ${type} then ${sql.raw(String(points))}`,
  );
  terms.push(sql`(case ${o.type} ${sql.join(typeCases, sql` `)} else 0 end)`);
  if (notRelevant.length) {
    const solicitations = notRelevant.flatMap((m) => (m.solicitationNumber ? [m.solicitationNumber] : []));
    const pairs = notRelevant.flatMap((m) => (m.naicsCode ? [agencyNaicsKey(m.agency, m.naicsCode)] : []));
    terms.push(
      sql`(case when ${o.solicitationNumber} = any(${sql.param(solicitations)}::text[]) or ${o.agencyPath} || '|' || ${o.naicsCode} = any(${sql.param(pairs)}::text[]) then ${sql.raw(String(-FIT_POINTS.similarToNotRelevant))} else 0 end)`,
    );
  }
  return sql<number>`greatest(${sql.join(terms, sql` + `)}, 0)`;
}

/**
 * Names what a score depends on (the profile, and what makes a notice like a marked one): two
 * contexts with the same name score every notice alike. A "best fit" cursor carries it.
 */
export function fitScoringName(profile: FitProfile, notRelevant: readonly NotRelevantMark[]): string {
  const like = notRelevant.map((m) => [
    m.solicitationNumber,
    m.naicsCode ? agencyNaicsKey(m.agency, m.naicsCode) : null,
  ]);
  const sorted = like.map((pair) => JSON.stringify(pair)).sort();
  const parts = [profile.naicsCodes, profile.keywords, profile.setAsides, profile.states].map((list) =>
    [...list].sort(),
  );
  return createHash("sha256")
    .update(JSON.stringify([parts, [...new Set(sorted)]]))
    .digest("base64url")
    .slice(0, 16);
}
