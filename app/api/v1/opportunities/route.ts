import { parseQuery } from "@/lib/http";
import { meteredRoute } from "@/lib/metering";
import { filtersFromQuery, opportunityFeed, opportunityQuerySchema, searchOpportunities } from "@/lib/opportunities";

/** Ranked search over opportunities (API.md). Metered: one unit per call; invalid queries are free. */
export const GET = meteredRoute({
  endpoint: "GET /api/v1/opportunities",
  parse: ({ url }) => parseQuery(url, opportunityQuerySchema),
  handle: async (query) => {
    const feed = opportunityFeed();
    const page = await searchOpportunities(filtersFromQuery(query, feed.referenceDate), {
      limit: query.limit,
      cursor: query.cursor,
    });
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
