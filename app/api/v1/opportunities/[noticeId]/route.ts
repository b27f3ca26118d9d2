import { apiKeyAuth } from "@/lib/auth";
import { route } from "@/lib/http";
import { getOpportunity } from "@/lib/opportunities";

/** One opportunity by notice id (API.md). Metered like the search. */
export const GET = route(
  async ({ params }) => {
    const { raw: _raw, ...opportunity } = await getOpportunity(String(params.noticeId));
    return { body: opportunity };
  },
  { authenticate: apiKeyAuth },
);
