import type { TextRules } from "@/lib/validation/rules";

// The value rules of opportunity filters, browser-safe: ./schemas.ts builds the zod schemas that
// search, alerts and onboarding parse with; their forms check the same rules without zod.

export const NAICS_FILTER_PATTERN = /^(\d{2,6}|31-33|44-45|48-49)$/;

export const NAICS_FILTER_RULES = {
  notText: 'A NAICS code is text, like "5415".',
  trim: true,
  pattern: [NAICS_FILTER_PATTERN, "A NAICS code has 2 to 6 digits (or a range sector like 31-33)."],
} satisfies TextRules;

export const STATE_RULES = {
  notText: "A state is a two-letter code.",
  trim: true,
  case: "upper",
  pattern: [/^[A-Z]{2}$/, "Use a two-letter state code, like VA."],
} satisfies TextRules;

export const SET_ASIDE_RULES = {
  notText: "A set-aside is a SAM.gov code.",
  trim: true,
  case: "upper",
  pattern: [/^[A-Z0-9]{2,10}$/, "Use a SAM.gov set-aside code, like SBA or SDVOSBC."],
} satisfies TextRules;

export const KEYWORD_QUERY_RULES = {
  notText: "Keywords must be text.",
  trim: true,
  max: [500, "Keep the search under 500 characters."],
} satisfies TextRules;
