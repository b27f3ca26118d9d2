import { endpointRoute } from "@/lib/endpoints";
import { markNotRelevantEndpoint, unmarkNotRelevantEndpoint } from "@/lib/relevance";

export const dynamic = "force-dynamic";

export const POST = endpointRoute(markNotRelevantEndpoint);
export const DELETE = endpointRoute(unmarkNotRelevantEndpoint);
