import { z } from "zod";
import { defineEndpoint } from "@/lib/http";
import {
  alertUsage,
  createAlert,
  deleteAlert,
  getAlert,
  listAlerts,
  toApiAlert,
  updateAlert,
  type ApiAlert,
} from "./alerts";
import { ALERT_PAUSE_REASONS } from "./rules";
import { ALERT_FREQUENCIES, createAlertSchema, updateAlertSchema } from "./schemas";

const isoTime = z.iso.datetime();

/** API.md `Alert`: the public shape of a saved search. */
export const alertBodySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    frequency: z.enum(ALERT_FREQUENCIES),
    q: z.string().nullable(),
    naics: z.array(z.string()),
    states: z.array(z.string()),
    set_asides: z.array(z.string()),
    prefer: z
      .object({ q: z.string().nullable(), states: z.array(z.string()), set_asides: z.array(z.string()) })
      .describe("Ranks the matches (best fit first) without narrowing them."),
    digest_limit: z.int().describe("How many matches a digest e-mail lists, best fit first."),
    nothing_new_email: z.boolean(),
    delivery_email: z.string(),
    active: z.boolean().describe("The members' own switch: false while paused."),
    paused_reason: z
      .enum(ALERT_PAUSE_REASONS)
      .nullable()
      .describe("Held by the plan (no digests until it allows the alert again), or unsubscribed from its e-mail."),
    channel_ids: z.array(z.uuid()).describe("The Slack, Teams or webhook channels its matches also go to."),
    created_at: isoTime,
    last_window_end: isoTime.nullable(),
  })
  .meta({ title: "Alert" }) satisfies z.ZodType<ApiAlert>;

const alertList = z.object({ data: z.array(alertBodySchema) }).meta({ title: "AlertList" });
const alertId = z.object({ id: z.string().describe("The alert's id.") });
const location = { location: "The new alert's URL." };

export const listAlertsEndpoint = defineEndpoint({
  name: "listAlerts",
  method: "GET",
  path: "/api/v1/alerts",
  auth: "apiKey",
  summary: "The organisation's alerts.",
  success: { status: 200, body: alertList },
  problems: [],
  handle: async ({ ctx }) => ({
    body: { data: (await listAlerts(ctx)).map(toApiAlert) },
  }),
});

export const createAlertEndpoint = defineEndpoint({
  name: "createAlert",
  method: "POST",
  path: "/api/v1/alerts",
  auth: "apiKey",
  summary: "Save an alert.",
  description: "Past the plan's alert limit the answer is 403 `forbidden`.",
  body: createAlertSchema,
  success: { status: 201, body: alertBodySchema, headers: location },
  problems: ["forbidden", "not_found"],
  handle: async ({ ctx, body }) => {
    const row = await createAlert(ctx, body);
    return { status: 201, body: toApiAlert(row), headers: { location: `/api/v1/alerts/${row.id}` } };
  },
});

export const getAlertEndpoint = defineEndpoint({
  name: "getAlert",
  method: "GET",
  path: "/api/v1/alerts/{id}",
  auth: "apiKey",
  summary: "One alert.",
  description: "Another organisation's alert answers 404 like an unknown id.",
  params: alertId,
  success: { status: 200, body: alertBodySchema },
  problems: ["not_found"],
  handle: async ({ ctx, params }) => ({
    body: toApiAlert(await getAlert(ctx, params.id)),
  }),
});

export const deleteAlertEndpoint = defineEndpoint({
  name: "deleteAlert",
  method: "DELETE",
  path: "/api/v1/alerts/{id}",
  auth: "apiKey",
  summary: "Delete an alert.",
  params: alertId,
  success: { status: 204 },
  problems: ["not_found"],
  handle: async ({ ctx, params }) => {
    await deleteAlert(ctx, params.id);
    return { status: 204, body: null };
  },
});

const alertUsageSchema = z.object({
  used: z.int(),
  max: z.int(),
  plan: z.string(),
  held: z.int(),
});

/** The alerts page's data: the org's alerts and how many of the plan's allowance are in use. */
export const listOwnAlertsEndpoint = defineEndpoint({
  name: "appListAlerts",
  method: "GET",
  path: "/api/app/alerts",
  auth: "session",
  summary: "The organisation's alerts and the plan's allowance in use.",
  success: { status: 200, body: z.object({ data: z.array(alertBodySchema), usage: alertUsageSchema }) },
  problems: [],
  handle: async ({ ctx }) => {
    const [rows, usage] = await Promise.all([listAlerts(ctx), alertUsage(ctx)]);
    return { body: { data: rows.map(toApiAlert), usage } };
  },
});

export const createOwnAlertEndpoint = defineEndpoint({
  name: "appCreateAlert",
  method: "POST",
  path: "/api/app/alerts",
  auth: "session",
  summary: "Save an alert.",
  body: createAlertSchema,
  success: { status: 201, body: alertBodySchema },
  problems: ["forbidden", "not_found"],
  handle: async ({ ctx, body }) => ({
    status: 201,
    body: toApiAlert(await createAlert(ctx, body)),
  }),
});

export const updateOwnAlertEndpoint = defineEndpoint({
  name: "appUpdateAlert",
  method: "PATCH",
  path: "/api/app/alerts/{id}",
  auth: "session",
  summary: "Rename, re-filter, pause or resume an alert.",
  params: alertId,
  body: updateAlertSchema,
  success: { status: 200, body: alertBodySchema },
  problems: ["forbidden", "not_found"],
  handle: async ({ ctx, params, body }) => ({
    body: toApiAlert(await updateAlert(ctx, params.id, body)),
  }),
});

export const deleteOwnAlertEndpoint = defineEndpoint({
  name: "appDeleteAlert",
  method: "DELETE",
  path: "/api/app/alerts/{id}",
  auth: "session",
  summary: "Delete an alert.",
  params: alertId,
  success: { status: 204 },
  problems: ["forbidden", "not_found"],
  handle: async ({ ctx, params }) => {
    await deleteAlert(ctx, params.id);
    return { status: 204, body: null };
  },
});
