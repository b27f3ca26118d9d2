import { z } from "zod";
import { keywordQuerySchema, naicsFilterSchema, setAsideSchema, stateSchema } from "@/lib/opportunities/schemas";

// Shared by route handlers and the browser form, so zod only: no server imports. The filter
// value rules are opportunity search's own (lib/opportunities/schemas.ts).

export const ALERT_FREQUENCIES = ["instant", "daily", "weekly"] as const;
export type AlertFrequency = (typeof ALERT_FREQUENCIES)[number];

export const MAX_ALERT_NAICS = 50;
export const MAX_ALERT_STATES = 60;
export const MAX_ALERT_SET_ASIDES = 20;

export const alertNameSchema = z
  .string({ message: "Name the alert." })
  .trim()
  .min(1, "Name the alert, e.g. “Cyber work in Virginia”.")
  .max(80, "Use at most 80 characters.");
export const alertFrequencySchema = z.enum(ALERT_FREQUENCIES, { message: "Choose instant, daily or weekly." });
export const alertKeywordsSchema = keywordQuerySchema;
export const alertNaicsSchema = naicsFilterSchema;
export const alertStateSchema = stateSchema;
export const alertSetAsideSchema = setAsideSchema;
export const deliveryEmailSchema = z
  .string({ message: "Enter an e-mail address." })
  .trim()
  .toLowerCase()
  .max(254, "Use at most 254 characters.")
  .pipe(z.email("Enter a valid e-mail address."));

/** A list of codes, duplicates dropped (the first spelling wins), at most `max`. */
function codeList<T extends z.ZodType<string>>(item: T, max: number, noun: string) {
  return z
    .array(item, { message: `Send ${noun} as a list.` })
    .max(max, `At most ${max} ${noun}.`)
    .transform((values) => [...new Set(values)]);
}

const alertFields = {
  name: alertNameSchema,
  frequency: alertFrequencySchema,
  // An empty keyword string means "no keyword filter", like a missing one.
  q: alertKeywordsSchema.nullish().transform((q) => q || null),
  naics: codeList(alertNaicsSchema, MAX_ALERT_NAICS, "NAICS codes"),
  states: codeList(alertStateSchema, MAX_ALERT_STATES, "states"),
  set_asides: codeList(alertSetAsideSchema, MAX_ALERT_SET_ASIDES, "set-asides"),
  delivery_email: deliveryEmailSchema,
};

/** POST /api/v1/alerts and /api/app/alerts (API.md). `delivery_email` defaults server-side. */
export const createAlertSchema = z
  .object({
    name: alertFields.name,
    frequency: alertFields.frequency,
    q: alertFields.q.optional().transform((q) => q ?? null),
    naics: alertFields.naics.optional().default([]),
    states: alertFields.states.optional().default([]),
    set_asides: alertFields.set_asides.optional().default([]),
    delivery_email: alertFields.delivery_email.optional(),
  })
  .strict();

export type CreateAlertInput = z.infer<typeof createAlertSchema>;
/** What a caller may pass before validation (optional lists, a null or missing `q`). */
export type CreateAlertRequest = z.input<typeof createAlertSchema>;

/** PATCH /api/app/alerts/{id}: any subset of the fields, plus pausing/resuming. */
export const updateAlertSchema = z
  .object({
    name: alertFields.name.optional(),
    frequency: alertFields.frequency.optional(),
    q: alertFields.q.optional(),
    naics: alertFields.naics.optional(),
    states: alertFields.states.optional(),
    set_asides: alertFields.set_asides.optional(),
    delivery_email: alertFields.delivery_email.optional(),
    active: z.boolean({ message: "active is true or false." }).optional(),
  })
  .strict()
  .refine((patch) => Object.values(patch).some((v) => v !== undefined), { message: "Send at least one field to change." });

export type UpdateAlertInput = z.infer<typeof updateAlertSchema>;
export type UpdateAlertRequest = z.input<typeof updateAlertSchema>;

/** What people type in a codes box ("5415, 236220 33") → the list of codes. */
export function splitCodes(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((part) => part.trim())
    .filter(Boolean);
}
