import { z } from "zod";
import { channelIdsSchema } from "@/lib/channels";
import { listSchema, textSchema } from "@/lib/validation";
import { keywordQuerySchema, naicsFilterSchema, setAsideSchema, stateSchema } from "@/lib/opportunities";
import { ALERT_LIST_RULES } from "./body-rules";
import {
  ALERT_FREQUENCIES,
  ALERT_FREQUENCY_RULES,
  ALERT_NAME_RULES,
  DEFAULT_DIGEST_LIMIT,
  DELIVERY_EMAIL_RULES,
  DIGEST_LIMIT_MESSAGE,
  MAX_DIGEST_LIMIT,
} from "./rules";

// The route handlers' zod schemas, built from the browser-safe rules in ./rules.ts that the alert
// forms check without zod. The filter value rules are opportunity search's own.

export {
  ALERT_FREQUENCIES,
  MAX_ALERT_NAICS,
  MAX_ALERT_SET_ASIDES,
  MAX_ALERT_STATES,
  MAX_DIGEST_LIMIT,
  DEFAULT_DIGEST_LIMIT,
  splitCodes,
  type AlertFrequency,
} from "./rules";

export const alertNameSchema = textSchema(ALERT_NAME_RULES);
export const alertFrequencySchema = z.enum(ALERT_FREQUENCIES, { message: ALERT_FREQUENCY_RULES.oneOf[1] });
export const alertKeywordsSchema = keywordQuerySchema;
export const alertNaicsSchema = naicsFilterSchema;
export const alertStateSchema = stateSchema;
export const alertSetAsideSchema = setAsideSchema;
export const deliveryEmailSchema = textSchema(DELIVERY_EMAIL_RULES);

/** A list of codes, duplicates dropped (the first spelling wins), at most `max`. */
function codeList(field: keyof typeof ALERT_LIST_RULES) {
  const rules = ALERT_LIST_RULES[field];
  return listSchema(rules, rules.notList).transform((values) => [...new Set(values)]);
}

const alertFields = {
  name: alertNameSchema,
  frequency: alertFrequencySchema,
  // An empty keyword string means "no keyword filter", like a missing one.
  q: alertKeywordsSchema.nullish().transform((q) => q || null),
  naics: codeList("naics"),
  states: codeList("states"),
  set_asides: codeList("set_asides"),
  delivery_email: deliveryEmailSchema,
};

/** What ranks an alert's matches first without narrowing them (the profile's keywords, places, set-asides). */
const preferSchema = z
  .object({
    q: alertFields.q.optional().transform((q) => q ?? null),
    states: alertFields.states.optional().default([]),
    set_asides: alertFields.set_asides.optional().default([]),
  })
  .strict();

const digestLimitSchema = z.coerce
  .number({ message: DIGEST_LIMIT_MESSAGE })
  .int(DIGEST_LIMIT_MESSAGE)
  .min(1, DIGEST_LIMIT_MESSAGE)
  .max(MAX_DIGEST_LIMIT, DIGEST_LIMIT_MESSAGE);

const nothingNewSchema = z.boolean({ message: "nothing_new_email is true or false." });

const NO_PREFERENCES = { q: null, states: [], set_asides: [] };

/** POST /api/v1/alerts and /api/app/alerts (API.md). `delivery_email` defaults server-side. */
export const createAlertSchema = z
  .object({
    name: alertFields.name,
    frequency: alertFields.frequency,
    q: alertFields.q.optional().transform((q) => q ?? null),
    naics: alertFields.naics.optional().default([]),
    states: alertFields.states.optional().default([]),
    set_asides: alertFields.set_asides.optional().default([]),
    prefer: preferSchema.optional().default(NO_PREFERENCES),
    digest_limit: digestLimitSchema.optional().default(DEFAULT_DIGEST_LIMIT),
    // Daily and weekly alerts only; an instant alert keeps the setting but never sends it.
    nothing_new_email: nothingNewSchema.optional().default(false),
    delivery_email: alertFields.delivery_email.optional(),
    /** The org's channels to post matches to as well (plans with channels). */
    channel_ids: channelIdsSchema.optional(),
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
    prefer: preferSchema.optional(),
    digest_limit: digestLimitSchema.optional(),
    nothing_new_email: nothingNewSchema.optional(),
    delivery_email: alertFields.delivery_email.optional(),
    active: z.boolean({ message: "active is true or false." }).optional(),
    /** Replaces the alert's channels; `[]` posts to none. */
    channel_ids: channelIdsSchema.optional(),
  })
  .strict()
  .refine((patch) => Object.values(patch).some((v) => v !== undefined), {
    message: "Send at least one field to change.",
  });

export type UpdateAlertInput = z.infer<typeof updateAlertSchema>;
export type UpdateAlertRequest = z.input<typeof updateAlertSchema>;
