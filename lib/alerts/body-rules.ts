import { checkList, checkText, type ListRules, type TextRules } from "@/lib/validation/rules";
import { KEYWORD_QUERY_RULES, NAICS_FILTER_RULES, SET_ASIDE_RULES, STATE_RULES } from "@/lib/opportunities/rules";
import {
  ALERT_FREQUENCY_RULES,
  ALERT_NAME_RULES,
  DELIVERY_EMAIL_RULES,
  MAX_ALERT_NAICS,
  MAX_ALERT_SET_ASIDES,
  MAX_ALERT_STATES,
  digestLimitProblem,
} from "./rules";

// The whole create-alert body's rules, apart from ./rules.ts (the single fields) so pages that
// only ask for a name, frequency and address (onboarding) do not carry the list rules.

const codeList = (item: TextRules, max: number, noun: string): ListRules => ({
  item,
  max: [max, `At most ${max} ${noun}.`],
});

/** The rules of the alert body's list fields; `notList` is the message when a list is not an array. */
export const ALERT_LIST_RULES = {
  naics: { ...codeList(NAICS_FILTER_RULES, MAX_ALERT_NAICS, "NAICS codes"), notList: "Send NAICS codes as a list." },
  states: { ...codeList(STATE_RULES, MAX_ALERT_STATES, "states"), notList: "Send states as a list." },
  set_asides: {
    ...codeList(SET_ASIDE_RULES, MAX_ALERT_SET_ASIDES, "set-asides"),
    notList: "Send set-asides as a list.",
  },
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
  /** As typed; the server coerces it to a number. */
  digest_limit?: string;
  /** Daily and weekly: also mail "nothing new" when a window has no match. */
  nothing_new_email?: boolean;
  /** The org's channels to post to as well; chosen from a list, so the server alone checks them. */
  channel_ids?: string[];
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
  const limitProblem = body.digest_limit === undefined ? null : digestLimitProblem(body.digest_limit);
  if (limitProblem) out.digest_limit = { index: null, message: limitProblem };
  return out;
}
