import { z } from "zod";

// The value rules of opportunity filters, shared by search, alerts and onboarding on the server
// and by their forms in the browser: zod only, no server imports here.

/** The 2022 sectors that are ranges: their subsectors start with any of the listed digits. */
export const RANGE_SECTORS: Record<string, string[]> = {
  "31-33": ["31", "32", "33"],
  "44-45": ["44", "45"],
  "48-49": ["48", "49"],
};

export const NAICS_FILTER_PATTERN = /^(\d{2,6}|31-33|44-45|48-49)$/;

export const naicsFilterSchema = z
  .string({ message: 'A NAICS code is text, like "5415".' })
  .trim()
  .regex(NAICS_FILTER_PATTERN, "A NAICS code has 2 to 6 digits (or a range sector like 31-33).");

export const stateSchema = z
  .string({ message: "A state is a two-letter code." })
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}$/, "Use a two-letter state code, like VA.");

export const setAsideSchema = z
  .string({ message: "A set-aside is a SAM.gov code." })
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{2,10}$/, "Use a SAM.gov set-aside code, like SBA or SDVOSBC.");

export const keywordQuerySchema = z.string({ message: "Keywords must be text." }).trim().max(500, "Keep the search under 500 characters.");
