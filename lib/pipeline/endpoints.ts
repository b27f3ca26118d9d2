import { z } from "zod";
import { attachment, defineEndpoint } from "@/lib/http";
import { calendarFeedStatus, createCalendarFeed, revokeCalendarFeed } from "./calendar";
import { exportPipelineCsv } from "./csv";
import {
  addNote,
  getPipelineSettings,
  getTracked,
  listTracked,
  trackNotice,
  untrackNotice,
  updatePipelineSettings,
  updateTracked,
} from "./pipeline";
import {
  addNoteSchema,
  pipelineFilterSchema,
  pipelineListQuerySchema,
  pipelineSettingsSchema,
  trackSchema,
  updateTrackedSchema,
} from "./schemas";

const trackedId = z.object({ id: z.string() });

export const listTrackedEndpoint = defineEndpoint({
  name: "appListTracked",
  method: "GET",
  path: "/api/app/pipeline",
  auth: "session",
  summary: "The organisation's tracked notices, newest first, filtered and keyset-paged.",
  query: pipelineListQuerySchema,
  success: { status: 200 },
  problems: ["forbidden"],
  handle: async ({ ctx, query }) => ({ body: await listTracked(ctx, query) }),
});

export const trackNoticeEndpoint = defineEndpoint({
  name: "appTrackNotice",
  method: "POST",
  path: "/api/app/pipeline",
  auth: "session",
  summary: "Track a notice.",
  description: "201 when new, 200 with the existing entry when the organisation already tracks it.",
  body: trackSchema,
  success: { status: 201, alternate: 200, headers: { location: "The tracked notice's URL." } },
  problems: ["forbidden", "not_found"],
  handle: async ({ ctx, body }) => {
    const { tracked, created } = await trackNotice(ctx, body);
    return { status: created ? 201 : 200, body: tracked, headers: { location: `/api/app/pipeline/${tracked.id}` } };
  },
});

export const getTrackedEndpoint = defineEndpoint({
  name: "appGetTracked",
  method: "GET",
  path: "/api/app/pipeline/{id}",
  auth: "session",
  summary: "One tracked notice with its notes.",
  params: trackedId,
  success: { status: 200 },
  problems: ["forbidden", "not_found"],
  handle: async ({ ctx, params }) => ({ body: await getTracked(ctx, params.id) }),
});

export const updateTrackedEndpoint = defineEndpoint({
  name: "appUpdateTracked",
  method: "PATCH",
  path: "/api/app/pipeline/{id}",
  auth: "session",
  summary: "Change the stage and/or the assignee (a member of the organisation, or null).",
  params: trackedId,
  body: updateTrackedSchema,
  success: { status: 200 },
  problems: ["forbidden", "not_found"],
  handle: async ({ ctx, params, body }) => ({ body: await updateTracked(ctx, params.id, body) }),
});

export const untrackNoticeEndpoint = defineEndpoint({
  name: "appUntrackNotice",
  method: "DELETE",
  path: "/api/app/pipeline/{id}",
  auth: "session",
  summary: "Stop tracking a notice.",
  params: trackedId,
  success: { status: 204 },
  problems: ["forbidden", "not_found"],
  handle: async ({ ctx, params }) => {
    await untrackNotice(ctx, params.id);
    return { status: 204, body: null };
  },
});

export const addNoteEndpoint = defineEndpoint({
  name: "appAddNote",
  method: "POST",
  path: "/api/app/pipeline/{id}/notes",
  auth: "session",
  summary: "Append a note (notes are never edited).",
  params: trackedId,
  body: addNoteSchema,
  success: { status: 201 },
  problems: ["forbidden", "not_found"],
  handle: async ({ ctx, params, body }) => ({
    status: 201,
    body: await addNote(ctx, params.id, body),
  }),
});

export const exportPipelineEndpoint = defineEndpoint({
  name: "appExportPipeline",
  method: "GET",
  path: "/api/app/pipeline/export",
  auth: "session",
  summary: "The tracked notices matching the list's filters, as a CSV attachment.",
  query: pipelineFilterSchema,
  success: { status: 200, file: "text/csv" },
  problems: ["forbidden"],
  handle: async ({ ctx, query }) => {
    const { filename, csv } = await exportPipelineCsv(ctx, query);
    return attachment(csv, "text/csv; charset=utf-8", filename);
  },
});

export const getPipelineSettingsEndpoint = defineEndpoint({
  name: "appGetPipelineSettings",
  method: "GET",
  path: "/api/app/pipeline/settings",
  auth: "session",
  summary: "The pipeline's settings.",
  success: { status: 200 },
  problems: ["forbidden"],
  handle: async ({ ctx }) => ({ body: await getPipelineSettings(ctx) }),
});

export const updatePipelineSettingsEndpoint = defineEndpoint({
  name: "appUpdatePipelineSettings",
  method: "PUT",
  path: "/api/app/pipeline/settings",
  auth: "session",
  summary: "Days before a response deadline the reminder goes out (0 = off): owners and admins.",
  body: pipelineSettingsSchema,
  success: { status: 200 },
  problems: ["forbidden"],
  handle: async ({ ctx, body }) => ({ body: await updatePipelineSettings(ctx, body) }),
});

export const calendarFeedStatusEndpoint = defineEndpoint({
  name: "appCalendarFeedStatus",
  method: "GET",
  path: "/api/app/calendar-feed",
  auth: "session",
  summary: "Whether the signed-in user has a calendar feed (never its URL: only its hash is kept).",
  success: { status: 200 },
  problems: [],
  handle: async ({ auth }) => ({ body: await calendarFeedStatus(auth.viewer.user.id) }),
});

export const createCalendarFeedEndpoint = defineEndpoint({
  name: "appCreateCalendarFeed",
  method: "POST",
  path: "/api/app/calendar-feed",
  auth: "session",
  summary: "A new secret feed URL, shown once; any previous URL of this user stops working.",
  description: "Needs a plan with the pipeline.",
  success: { status: 201 },
  problems: ["forbidden"],
  handle: async ({ ctx }) => ({ status: 201, body: await createCalendarFeed(ctx) }),
});

export const revokeCalendarFeedEndpoint = defineEndpoint({
  name: "appRevokeCalendarFeed",
  method: "DELETE",
  path: "/api/app/calendar-feed",
  auth: "session",
  summary: "Stop the signed-in user's calendar feed.",
  success: { status: 204 },
  problems: [],
  handle: async ({ auth }) => {
    await revokeCalendarFeed(auth.viewer.user.id);
    return { status: 204, body: null };
  },
});
