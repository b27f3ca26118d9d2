import { endpointRoute } from "@/lib/endpoints";
import { listNotRelevantEndpoint } from "@/lib/relevance";

export const dynamic = "force-dynamic";

export const GET = endpointRoute(listNotRelevantEndpoint);
