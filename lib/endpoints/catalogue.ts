import { z } from "zod";
import * as alerts from "@/lib/alerts";
import * as auth from "@/lib/auth";
import * as channels from "@/lib/channels";
import { defineEndpoint, type AnyEndpoint } from "@/lib/http";
import * as metering from "@/lib/metering";
import * as opportunities from "@/lib/opportunities";
import * as orgs from "@/lib/orgs";
import * as pipeline from "@/lib/pipeline";
import * as relevance from "@/lib/relevance";
import * as retention from "@/lib/retention";
import { openApiDocument } from "./openapi";

const PUBLIC_API_INFO = {
  title: "Beacon API",
  version: "1",
  description:
    "Federal contract opportunities for programs: search, alerts, usage. Authenticate with an organisation's API key; " +
    "every error is Problem+JSON (`application/problem+json`) with a `code` and the `request_id`.",
};

let publicDocument: ReturnType<typeof openApiDocument> | undefined;

/** This document, served to anyone: it describes the API, it holds nothing of an organisation. */
export const openApiEndpoint = defineEndpoint({
  name: "getOpenApiDocument",
  method: "GET",
  path: "/api/v1/openapi.json",
  auth: "public",
  summary: "This API's OpenAPI 3.1 description.",
  description: "Generated from the endpoints' declarations; the authoritative contract. No key needed, not metered.",
  success: {
    status: 200,
    body: z.looseObject({ openapi: z.literal("3.1.0") }).meta({ title: "OpenApiDocument" }),
    headers: { "cache-control": "`public, max-age=300`: the document changes only with a deploy." },
  },
  problems: [],
  handle: async () => {
    publicDocument ??= publicApiDocument();
    return { body: publicDocument, headers: { "cache-control": "public, max-age=300" } };
  },
});

/** Every `/api/v1` endpoint: what programs with an API key may call, and what the public document describes. */
export const PUBLIC_API: readonly AnyEndpoint[] = [
  opportunities.getOpportunityEndpoint,
  relevance.searchOpportunitiesEndpoint,
  alerts.listAlertsEndpoint,
  alerts.createAlertEndpoint,
  alerts.getAlertEndpoint,
  alerts.deleteAlertEndpoint,
  auth.meEndpoint,
  metering.usageEndpoint,
  openApiEndpoint,
];

/** Every `/api/app` endpoint: the product's own pages call them with the member's session. */
export const APP_API: readonly AnyEndpoint[] = [
  alerts.listOwnAlertsEndpoint,
  alerts.createOwnAlertEndpoint,
  alerts.updateOwnAlertEndpoint,
  alerts.deleteOwnAlertEndpoint,
  auth.listApiKeysEndpoint,
  auth.createApiKeyEndpoint,
  auth.revokeApiKeyEndpoint,
  channels.listChannelsEndpoint,
  channels.createChannelEndpoint,
  channels.updateChannelEndpoint,
  channels.deleteChannelEndpoint,
  channels.testChannelEndpoint,
  opportunities.naicsLookupEndpoint,
  orgs.listMembersEndpoint,
  orgs.updateMemberRoleEndpoint,
  orgs.removeMemberEndpoint,
  orgs.inviteMemberEndpoint,
  orgs.revokeInvitationEndpoint,
  pipeline.listTrackedEndpoint,
  pipeline.trackNoticeEndpoint,
  pipeline.getTrackedEndpoint,
  pipeline.updateTrackedEndpoint,
  pipeline.untrackNoticeEndpoint,
  pipeline.addNoteEndpoint,
  pipeline.exportPipelineEndpoint,
  pipeline.getPipelineSettingsEndpoint,
  pipeline.updatePipelineSettingsEndpoint,
  pipeline.calendarFeedStatusEndpoint,
  pipeline.createCalendarFeedEndpoint,
  pipeline.revokeCalendarFeedEndpoint,
  relevance.listNotRelevantEndpoint,
  relevance.markNotRelevantEndpoint,
  relevance.unmarkNotRelevantEndpoint,
  retention.listDataRequestsEndpoint,
  retention.requestDataEndpoint,
  retention.getDataRequestEndpoint,
  retention.downloadExportEndpoint,
];

/** The public API's description (what `GET /api/v1/openapi.json` serves). */
export function publicApiDocument() {
  return openApiDocument(PUBLIC_API, PUBLIC_API_INFO, { named: [opportunities.opportunitySchema] });
}
