import { z } from "zod";
import { listSchema, textSchema } from "@/lib/validation";
import { ALERT_FREQUENCIES, alertFrequencySchema, alertNameSchema, deliveryEmailSchema } from "@/lib/alerts";
import { PLAN_IDS } from "@/lib/plans";
import {
  COMPANY_NAME_RULES,
  KEYWORD_RULES,
  KEYWORDS_TOO_LONG,
  MAX_KEYWORD_QUERY_LENGTH,
  PROFILE_LIST_RULES,
  uniqueKeywords,
} from "./rules";

// The server's zod schemas, built from the browser-safe rules in ./rules.ts that the onboarding
// forms check without zod.

export { MAX_KEYWORD_QUERY_LENGTH, MAX_KEYWORDS, MAX_NAICS_CODES } from "./rules";

/** Arrays travel from the form as one JSON hidden input; lib callers pass real arrays. */
function fromJson(value: unknown): unknown {
  if (typeof value !== "string") return value;
  if (value.trim() === "") return [];
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

const unique = (values: string[]) => [...new Set(values)];

export const companyNameSchema = textSchema(COMPANY_NAME_RULES);

export const naicsCodeSchema = textSchema(PROFILE_LIST_RULES.naicsCodes.item);

export const keywordSchema = textSchema(KEYWORD_RULES);

function list(field: keyof typeof PROFILE_LIST_RULES) {
  return z.preprocess(fromJson, listSchema(PROFILE_LIST_RULES[field], "Expected a list."));
}

export const businessProfileSchema = z.object({
  companyName: companyNameSchema,
  naicsCodes: list("naicsCodes").transform(unique),
  keywords: list("keywords")
    .transform(uniqueKeywords)
    .refine((words) => words.join(" or ").length <= MAX_KEYWORD_QUERY_LENGTH, KEYWORDS_TOO_LONG)
    .default([]),
  setAsides: list("setAsides").transform(unique).default([]),
  states: list("states").transform(unique).default([]),
});

export type BusinessProfileInput = z.input<typeof businessProfileSchema>;
export type BusinessProfileValues = z.output<typeof businessProfileSchema>;

export { ALERT_FREQUENCIES };
export type AlertFrequency = (typeof ALERT_FREQUENCIES)[number];

/** The first alert: its filters come from the saved profile, so only these are asked (alert rules). */
export const firstAlertSchema = z.object({
  name: alertNameSchema,
  frequency: alertFrequencySchema,
  deliveryEmail: deliveryEmailSchema,
});

/** "<Company> opportunities", cut to fit an alert name. */
export function defaultAlertName(companyName: string): string {
  const suffix = " opportunities";
  return `${companyName
    .trim()
    .slice(0, 80 - suffix.length)
    .trim()}${suffix}`;
}

export type FirstAlertInput = z.input<typeof firstAlertSchema>;

export const choosePlanSchema = z.object({ plan: z.enum(PLAN_IDS, "Choose a plan.") });

/** Ways to widen a profile that matches nothing (or little); each is offered with its count. */
export const WIDEN_KINDS = [
  "drop_states",
  "drop_set_asides",
  "naics_4_digits",
  "naics_sectors",
  "drop_keywords",
] as const;
export type WidenKind = (typeof WIDEN_KINDS)[number];
export const widenSchema = z.object({ suggestion: z.enum(WIDEN_KINDS, "Unknown suggestion.") });
