import { endpointRoute } from "@/lib/endpoints";
import { searchOpportunitiesEndpoint } from "@/lib/relevance";

export const GET = endpointRoute(searchOpportunitiesEndpoint);
