import { parseQuery } from "@/lib/http";
import { meteredRoute } from "@/lib/metering";
import {
  filtersFromQuery,
  opportunityFeed,
  opportunityQuerySchema,
  requireFitProfile,
  searchOpportunities,
} from "@/lib/opportunities";
import { orgFitContext } from "@/lib/relevance";

/** Ranked search over opportunities (API.md). Metered: one unit per call; invalid queries are free. */
export const GET = meteredRoute({
  endpoint: "GET /api/v1/opportunities",
  parse: async ({ url, auth }) => {
    const query = parseQuery(url, opportunityQuerySchema);
    // Best fit is the key's org's view (its profile and not-relevant marks); without a profile it is refused, free.
    const fit = query.sort === "fit" ? await orgFitContext(auth.orgId) : undefined;
    if (fit) requireFitProfile(fit);
    return { query, fit };
  },
  handle: async ({ query, fit }) => {
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
