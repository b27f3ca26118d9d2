import { textSchema } from "@/lib/validation";
import { KEYWORD_QUERY_RULES, NAICS_FILTER_PATTERN, NAICS_FILTER_RULES, SET_ASIDE_RULES, STATE_RULES } from "./rules";

// The zod schemas of opportunity filters, shared by search, alerts and onboarding on the server;
// built from ./rules.ts, which their forms check in the browser without zod.

/** The 2022 sectors that are ranges: their subsectors start with any of the listed digits. */
export const RANGE_SECTORS: Record<string, string[]> = {
  "31-33": ["31", "32", "33"],
  "44-45": ["44", "45"],
  "48-49": ["48", "49"],
};

export { NAICS_FILTER_PATTERN };

export const naicsFilterSchema = textSchema(NAICS_FILTER_RULES);

export const stateSchema = textSchema(STATE_RULES);

export const setAsideSchema = textSchema(SET_ASIDE_RULES);

export const keywordQuerySchema = textSchema(KEYWORD_QUERY_RULES);
