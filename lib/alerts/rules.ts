import type { TextRules } from "@/lib/validation/rules";

// Browser-safe rules of an alert's fields: ./schemas.ts builds the route handlers' zod schemas
// from them and the alert forms check them before sending, without shipping zod. The filter
// value rules are opportunity search's own (lib/opportunities/rules.ts).

export const ALERT_FREQUENCIES = ["instant", "daily", "weekly"] as const;
export type AlertFrequency = (typeof ALERT_FREQUENCIES)[number];

export const MAX_ALERT_NAICS = 50;
export const MAX_ALERT_STATES = 60;
export const MAX_ALERT_SET_ASIDES = 20;

/** How many matches one digest e-mail lists, best fit first; the e-mail links to the rest. */
export const MAX_DIGEST_LIMIT = 50;
export const DEFAULT_DIGEST_LIMIT = 25;
export const DIGEST_LIMIT_MESSAGE = `Enter a whole number from 1 to ${MAX_DIGEST_LIMIT}.`;

/** The digest limit as typed in a form, read as the server's schema reads it (`Number`): null when accepted. */
export function digestLimitProblem(value: string): string | null {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= MAX_DIGEST_LIMIT ? null : DIGEST_LIMIT_MESSAGE;
}

export const ALERT_NAME_RULES = {
  notText: "Name the alert.",
  trim: true,
  min: [1, "Name the alert, e.g. “Cyber work in Virginia”."],
  max: [80, "Use at most 80 characters."],
} satisfies TextRules;

export const ALERT_FREQUENCY_RULES = {
  oneOf: [ALERT_FREQUENCIES, "Choose instant, daily or weekly."],
} satisfies TextRules;

export const DELIVERY_EMAIL_RULES = {
  notText: "Enter an e-mail address.",
  trim: true,
  case: "lower",
  max: [254, "Use at most 254 characters."],
  email: "Enter a valid e-mail address.",
} satisfies TextRules;

/** What people type in a codes box ("5415, 236220 33") → the list of codes. */
export function splitCodes(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((part) => part.trim())
    .filter(Boolean);
}

/**
 * Why an alert sends nothing (`alerts.paused_reason`): billing holds one a member left active, or
 * its recipient unsubscribed by the e-mail's link. The alerts page shows the text.
 */
export const ALERT_PAUSE_REASONS = ["plan_limit", "plan_excludes_instant", "unsubscribed"] as const;
export type AlertPauseReason = (typeof ALERT_PAUSE_REASONS)[number];
export const PAUSE_REASON_TEXT: Record<AlertPauseReason, string> = {
  plan_limit: "Paused: over your plan's limit",
  plan_excludes_instant: "Paused: your plan does not include instant alerts",
  unsubscribed: "Paused: unsubscribed by e-mail link",
};
