import { z } from "zod";
import { defineEndpoint } from "@/lib/http";
import {
  filtersFromQuery,
  opportunityFeed,
  opportunityQuerySchema,
  opportunitySchema,
  requireFitProfile,
  searchOpportunities,
} from "@/lib/opportunities";
import { listNotRelevant, markNotRelevant, orgFitContext, unmarkNotRelevant } from "./relevance";

// The search is declared here, not in lib/opportunities: `sort=fit` ranks by the key's org's view
// (its business profile and not-relevant marks), which is this capability's.

const opportunityPageSchema = z
  .object({
    data: z.array(opportunitySchema),
    feed: z
      .object({ live: z.boolean(), reference_date: z.iso.datetime() })
      .describe("`live`: SAM.gov data, else the bundled snapshot; statuses are judged at `reference_date`."),
    next_cursor: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last."),
  })
  .meta({ title: "OpportunityPage" });

export const searchOpportunitiesEndpoint = defineEndpoint({
  name: "searchOpportunities",
  method: "GET",
  path: "/api/v1/opportunities",
  auth: "apiKey",
  summary: "Ranked search over opportunities.",
  description:
    "Keyword relevance, newest first, or (`sort=fit`) the organisation's fit score. One unit of quota per call; " +
    "invalid queries and `sort=fit` without a business profile (422, path `sort`) are free.",
  query: opportunityQuerySchema,
  metered: { usage: "GET /api/v1/opportunities" },
  success: { status: 200, body: opportunityPageSchema },
  problems: [],
  prepare: async ({ ctx, query }) => {
    // Best fit is the key's org's view; without a profile it is refused before the charge.
    const fit = query.sort === "fit" ? await orgFitContext(ctx) : undefined;
    if (fit) requireFitProfile(fit);
    return fit;
  },
  handle: async ({ query, prepared: fit }) => {
    const feed = opportunityFeed();
    const page = await searchOpportunities(
      filtersFromQuery(query, feed.referenceDate),
      { limit: query.limit, cursor: query.cursor, sort: query.sort },
      fit,
    );
    // Key order matches jsonb's (shorter keys first), so an Idempotency-Key replay is byte-identical.
    return {
      body: {
        data: page.data,
        feed: { live: feed.live, reference_date: feed.referenceDate.toISOString() },
        next_cursor: page.nextCursor,
      },
    };
  },
});

const noticeId = z.object({ noticeId: z.string() });

export const listNotRelevantEndpoint = defineEndpoint({
  name: "appListNotRelevant",
  method: "GET",
  path: "/api/app/opportunities/not-relevant",
  auth: "session",
  summary: "The notices the organisation marked not relevant, newest mark first.",
  success: { status: 200 },
  problems: [],
  handle: async ({ ctx }) => ({ body: { data: await listNotRelevant(ctx) } }),
});

export const markNotRelevantEndpoint = defineEndpoint({
  name: "appMarkNotRelevant",
  method: "POST",
  path: "/api/app/opportunities/{noticeId}/not-relevant",
  auth: "session",
  summary: "Mark a notice not relevant for the organisation.",
  description: "201 when new, 200 when it already was.",
  params: noticeId,
  success: { status: 201, alternate: 200 },
  problems: ["forbidden", "not_found"],
  handle: async ({ ctx, params }) => {
    const { mark, created } = await markNotRelevant(ctx, params.noticeId);
    return { status: created ? 201 : 200, body: mark };
  },
});

export const unmarkNotRelevantEndpoint = defineEndpoint({
  name: "appUnmarkNotRelevant",
  method: "DELETE",
  path: "/api/app/opportunities/{noticeId}/not-relevant",
  auth: "session",
  summary: "Take the mark back: the notice is a match again.",
  params: noticeId,
  success: { status: 204 },
  problems: ["forbidden", "not_found"],
  handle: async ({ ctx, params }) => {
    await unmarkNotRelevant(ctx, params.noticeId);
    return { status: 204, body: null };
  },
});
