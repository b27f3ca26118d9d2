import { endpointRoute } from "@/lib/endpoints";
import { getOpportunityEndpoint } from "@/lib/opportunities";

export const GET = endpointRoute(getOpportunityEndpoint);
