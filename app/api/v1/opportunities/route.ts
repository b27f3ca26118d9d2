import { apiKeyAuth } from "@/lib/auth";
import { parseQuery, route } from "@/lib/http";
import { filtersFromQuery, opportunityQuerySchema, searchOpportunities } from "@/lib/opportunities";

/** Ranked search over opportunities (API.md). Metered: one unit per call once billing is live. */
export const GET = route(
  async ({ url }) => {
    const query = parseQuery(url, opportunityQuerySchema);
    const page = await searchOpportunities(filtersFromQuery(query), { limit: query.limit, cursor: query.cursor });
    return { body: { data: page.data, next_cursor: page.nextCursor } };
  },
  { authenticate: apiKeyAuth },
);
