import { endpointRoute } from "@/lib/endpoints";
import { revokeApiKeyEndpoint } from "@/lib/auth";

export const DELETE = endpointRoute(revokeApiKeyEndpoint);
