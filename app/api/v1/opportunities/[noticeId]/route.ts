import { meteredRoute } from "@/lib/metering";
import { getOpportunity } from "@/lib/opportunities";

/** One opportunity by notice id (API.md). Metered like the search (an unknown id is a served lookup). */
export const GET = meteredRoute({
  endpoint: "GET /api/v1/opportunities/{notice_id}",
  parse: ({ params }) => String(params.noticeId),
  handle: async (noticeId) => {
    const { raw: _raw, ...opportunity } = await getOpportunity(noticeId);
    return { body: opportunity };
  },
});
