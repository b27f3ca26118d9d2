import { checkList, checkText, type ListRules, type TextRules } from "@/lib/validation/rules";
import { KEYWORD_QUERY_RULES, NAICS_FILTER_RULES, SET_ASIDE_RULES, STATE_RULES } from "@/lib/opportunities/rules";

// Browser-safe rules of an alert's fields: ./schemas.ts builds the route handlers' zod schemas
// from them and the alert forms check them before sending, without shipping zod. The filter
// value rules are opportunity search's own (lib/opportunities/rules.ts).

export const ALERT_FREQUENCIES = ["instant", "daily", "weekly"] as const;
export type AlertFrequency = (typeof ALERT_FREQUENCIES)[number];

export const MAX_ALERT_NAICS = 50;
export const MAX_ALERT_STATES = 60;
export const MAX_ALERT_SET_ASIDES = 20;

export const ALERT_NAME_RULES = {
  notText: "Name the alert.",
  trim: true,
  min: [1, "Name the alert, e.g. “Cyber work in Virginia”."],
  max: [80, "Use at most 80 characters."],
} satisfies TextRules;

export const ALERT_FREQUENCY_RULES = { oneOf: [ALERT_FREQUENCIES, "Choose instant, daily or weekly."] } satisfies TextRules;

export const DELIVERY_EMAIL_RULES = {
  notText: "Enter an e-mail address.",
  trim: true,
  case: "lower",
  max: [254, "Use at most 254 characters."],
  email: "Enter a valid e-mail address.",
} satisfies TextRules;

const codeList = (item: TextRules, max: number, noun: string): ListRules => ({ item, max: [max, `At most ${max} ${noun}.`] });

/** The rules of the alert body's list fields; `notList` is the message when a list is not an array. */
export const ALERT_LIST_RULES = {
  naics: { ...codeList(NAICS_FILTER_RULES, MAX_ALERT_NAICS, "NAICS codes"), notList: "Send NAICS codes as a list." },
  states: { ...codeList(STATE_RULES, MAX_ALERT_STATES, "states"), notList: "Send states as a list." },
  set_asides: { ...codeList(SET_ASIDE_RULES, MAX_ALERT_SET_ASIDES, "set-asides"), notList: "Send set-asides as a list." },
} satisfies Record<string, ListRules & { notList: string }>;

/** What a create-alert form sends (API.md POST /api/app/alerts), before the server normalises it. */
export interface AlertBody {
  name: string;
  frequency: string;
  q: string;
  naics: string[];
  states: string[];
  set_asides: string[];
  delivery_email?: string;
}

export type AlertField = keyof AlertBody;

/**
 * The first problem of each field of a new alert, as the server's createAlertSchema reports it:
 * `index` is the list item at fault, if any. Empty when the server would accept the body.
 */
export function alertProblems(body: AlertBody): Partial<Record<AlertField, { index: number | null; message: string }>> {
  const out: Partial<Record<AlertField, { index: number | null; message: string }>> = {};
  const text = (field: AlertField, rules: TextRules, value: string | undefined) => {
    const message = value === undefined ? null : checkText(rules, value);
    if (message) out[field] = { index: null, message };
  };
  text("name", ALERT_NAME_RULES, body.name);
  text("frequency", ALERT_FREQUENCY_RULES, body.frequency);
  text("q", KEYWORD_QUERY_RULES, body.q);
  for (const field of ["naics", "states", "set_asides"] as const) {
    const problem = checkList(ALERT_LIST_RULES[field], body[field]);
    if (problem) out[field] = problem;
  }
  text("delivery_email", DELIVERY_EMAIL_RULES, body.delivery_email);
  return out;
}

/** What people type in a codes box ("5415, 236220 33") → the list of codes. */
export function splitCodes(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((part) => part.trim())
    .filter(Boolean);
}
