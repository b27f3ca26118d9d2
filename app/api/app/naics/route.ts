import { endpointRoute } from "@/lib/endpoints";
import { naicsLookupEndpoint } from "@/lib/opportunities";

export const GET = endpointRoute(naicsLookupEndpoint);
