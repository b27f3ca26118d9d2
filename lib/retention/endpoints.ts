import { z } from "zod";
import { attachment, defineEndpoint } from "@/lib/http";
import { getOwnDataRequest, listOwnDataRequests, ownExportBundle, requestOwnData } from "./member-requests";
import { dataRequestInputSchema } from "./schemas";

const requestId = z.object({ id: z.string() });

export const listDataRequestsEndpoint = defineEndpoint({
  name: "appListDataRequests",
  method: "GET",
  path: "/api/app/data-requests",
  auth: "session",
  summary: "The organisation's export and deletion requests.",
  success: { status: 200 },
  problems: ["forbidden"],
  handle: async ({ ctx }) => ({ body: { data: await listOwnDataRequests(ctx) } }),
});

export const requestDataEndpoint = defineEndpoint({
  name: "appRequestData",
  method: "POST",
  path: "/api/app/data-requests",
  auth: "session",
  summary: "Ask for an export of the organisation's data, or its deletion.",
  description:
    "202: a deletion runs in the background; an export is usually already completed in the answer. " +
    "200 with the open request when one of the kind is already under way.",
  body: dataRequestInputSchema,
  success: { status: 202, alternate: 200, headers: { location: "The request's URL." } },
  problems: ["forbidden", "conflict"],
  handle: async ({ ctx, body }) => {
    const { request, created } = await requestOwnData(ctx, body);
    return {
      status: created ? 202 : 200,
      body: request,
      headers: { location: `/api/app/data-requests/${request.id}` },
    };
  },
});

export const getDataRequestEndpoint = defineEndpoint({
  name: "appGetDataRequest",
  method: "GET",
  path: "/api/app/data-requests/{id}",
  auth: "session",
  summary: "One export or deletion request.",
  params: requestId,
  success: { status: 200 },
  problems: ["forbidden", "not_found"],
  handle: async ({ ctx, params }) => ({ body: await getOwnDataRequest(ctx, params.id) }),
});

export const downloadExportEndpoint = defineEndpoint({
  name: "appDownloadExport",
  method: "GET",
  path: "/api/app/data-requests/{id}/download",
  auth: "session",
  summary: "The stored export bundle as a JSON attachment: owners of the organisation only.",
  params: requestId,
  success: { status: 200, file: "application/json" },
  problems: ["forbidden", "not_found", "conflict"],
  handle: async ({ ctx, params }) => {
    const { filename, json } = await ownExportBundle(ctx, params.id);
    return attachment(json, "application/json; charset=utf-8", filename);
  },
});
