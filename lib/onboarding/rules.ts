import { checkList, checkText, normaliseText, type ListRules, type TextRules } from "@/lib/validation/rules";
import { ALERT_FREQUENCY_RULES, ALERT_NAME_RULES, DELIVERY_EMAIL_RULES } from "@/lib/alerts/rules";
import { NAICS_FILTER_RULES } from "@/lib/opportunities/rules";
import { SET_ASIDE_CODES, STATE_CODES } from "./codes";

// Browser-safe rules of the onboarding forms: ./schemas.ts builds the server's zod schemas from
// them and the forms check them as people type, without shipping zod.

export const MAX_NAICS_CODES = 20;
export const MAX_KEYWORDS = 20;
/** The keywords become one search query (`a or b or c`); the search caps queries at 500 characters. */
export const MAX_KEYWORD_QUERY_LENGTH = 500;
export const KEYWORDS_TOO_LONG = "Those keywords are too long together: remove a few.";

export const COMPANY_NAME_RULES = {
  trim: true,
  min: [1, "Tell us your company name."],
  max: [120, "Use at most 120 characters."],
} satisfies TextRules;

export const KEYWORD_RULES = {
  collapseSpaces: true,
  min: [2, "A keyword needs at least 2 characters."],
  max: [40, "Keep each keyword under 40 characters."],
  // Quotes and angle brackets have no place in a keyword and would change the search syntax.
  pattern: [/^[^"<>\p{Cc}]+$/u, "Use letters, numbers and simple punctuation."],
} satisfies TextRules;

export const PROFILE_LIST_RULES = {
  naicsCodes: {
    item: NAICS_FILTER_RULES,
    min: [1, "Add at least one NAICS code."],
    max: [MAX_NAICS_CODES, `Add at most ${MAX_NAICS_CODES} NAICS codes.`],
  },
  keywords: { item: KEYWORD_RULES, max: [MAX_KEYWORDS, `Add at most ${MAX_KEYWORDS} keywords.`] },
  setAsides: {
    item: { trim: true, case: "upper", oneOf: [SET_ASIDE_CODES, "Pick a set-aside from the list."] },
    max: [SET_ASIDE_CODES.length, "Too many set-asides."],
  },
  states: {
    item: { trim: true, case: "upper", oneOf: [STATE_CODES, "Pick a state from the list."] },
    max: [STATE_CODES.length, "Too many states."],
  },
} satisfies Record<string, ListRules>;

/** The first alert's fields (its filters come from the saved profile); ./schemas.ts firstAlertSchema. */
export const FIRST_ALERT_RULES = {
  name: ALERT_NAME_RULES,
  frequency: ALERT_FREQUENCY_RULES,
  deliveryEmail: DELIVERY_EMAIL_RULES,
} satisfies Record<string, TextRules>;

/** Keywords as the profile keeps them: normalised, the first spelling of each (any case) kept. */
export function uniqueKeywords(words: readonly string[]): string[] {
  const seen = new Set<string>();
  return words.filter((w) => {
    const key = w.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface ProfileBody {
  companyName: string;
  naicsCodes: string[];
  keywords: string[];
  setAsides: string[];
  states: string[];
}

/** The first problem of each profile field, as the server's businessProfileSchema reports it. */
export function profileProblems(body: ProfileBody): Partial<Record<keyof ProfileBody, string>> {
  const out: Partial<Record<keyof ProfileBody, string>> = {};
  const company = checkText(COMPANY_NAME_RULES, body.companyName);
  if (company) out.companyName = company;
  for (const field of ["naicsCodes", "keywords", "setAsides", "states"] as const) {
    const problem = checkList(PROFILE_LIST_RULES[field], body[field]);
    if (problem) out[field] = problem.message;
  }
  const words = uniqueKeywords(body.keywords.map((w) => normaliseText(KEYWORD_RULES, w)));
  if (!out.keywords && words.join(" or ").length > MAX_KEYWORD_QUERY_LENGTH) out.keywords = KEYWORDS_TOO_LONG;
  return out;
}
