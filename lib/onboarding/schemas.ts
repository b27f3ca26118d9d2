import { z } from "zod";
import { naicsFilterSchema } from "@/lib/opportunities/schemas";
import { ALERT_FREQUENCIES, alertFrequencySchema, alertNameSchema, deliveryEmailSchema } from "@/lib/alerts/schemas";
import { PLAN_IDS } from "@/lib/billing/plans";
import { SET_ASIDE_CODES, STATE_CODES } from "./options";

// Shared by server and browser (inline validation): no server-only imports here.

export const MAX_NAICS_CODES = 20;
export const MAX_KEYWORDS = 20;
/** The keywords become one search query (`a or b or c`); the search caps queries at 500 characters. */
export const MAX_KEYWORD_QUERY_LENGTH = 500;

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

function unique(values: string[], key: (v: string) => string = (v) => v): string[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const k = key(v);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export const companyNameSchema = z.string().trim().min(1, "Tell us your company name.").max(120, "Use at most 120 characters.");

export const naicsCodeSchema = naicsFilterSchema;

export const keywordSchema = z
  .string()
  .transform((v) => v.replace(/\s+/g, " ").trim())
  .pipe(
    z
      .string()
      .min(2, "A keyword needs at least 2 characters.")
      .max(40, "Keep each keyword under 40 characters.")
      // Quotes and angle brackets have no place in a keyword and would change the search syntax.
      .regex(/^[^"<>\p{Cc}]+$/u, "Use letters, numbers and simple punctuation."),
  );

function list<T extends z.ZodType<string>>(item: T, limits: { min?: [number, string]; max: [number, string] }) {
  let array = z.array(item, "Expected a list.").max(limits.max[0], limits.max[1]);
  if (limits.min) array = array.min(limits.min[0], limits.min[1]);
  return z.preprocess(fromJson, array);
}

export const businessProfileSchema = z.object({
  companyName: companyNameSchema,
  naicsCodes: list(naicsCodeSchema, {
    min: [1, "Add at least one NAICS code."],
    max: [MAX_NAICS_CODES, `Add at most ${MAX_NAICS_CODES} NAICS codes.`],
  }).transform((codes) => unique(codes)),
  keywords: list(keywordSchema, { max: [MAX_KEYWORDS, `Add at most ${MAX_KEYWORDS} keywords.`] })
    .transform((words) => unique(words, (w) => w.toLowerCase()))
    .refine((words) => words.join(" or ").length <= MAX_KEYWORD_QUERY_LENGTH, "Those keywords are too long together: remove a few.")
    .default([]),
  setAsides: list(z.string().trim().toUpperCase().pipe(z.enum(SET_ASIDE_CODES, "Pick a set-aside from the list.")), {
    max: [SET_ASIDE_CODES.length, "Too many set-asides."],
  })
    .transform((codes) => unique(codes))
    .default([]),
  states: list(z.string().trim().toUpperCase().pipe(z.enum(STATE_CODES, "Pick a state from the list.")), {
    max: [STATE_CODES.length, "Too many states."],
  })
    .transform((codes) => unique(codes))
    .default([]),
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
  return `${companyName.trim().slice(0, 80 - suffix.length).trim()}${suffix}`;
}

export type FirstAlertInput = z.input<typeof firstAlertSchema>;

export const choosePlanSchema = z.object({ plan: z.enum(PLAN_IDS, "Choose a plan.") });

/** Ways to widen a profile that matches nothing (or little); each is offered with its count. */
export const WIDEN_KINDS = ["drop_states", "drop_set_asides", "naics_4_digits", "naics_sectors", "drop_keywords"] as const;
export type WidenKind = (typeof WIDEN_KINDS)[number];
export const widenSchema = z.object({ suggestion: z.enum(WIDEN_KINDS, "Unknown suggestion.") });
