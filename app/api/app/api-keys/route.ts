import { endpointRoute } from "@/lib/endpoints";
import { listApiKeysEndpoint, createApiKeyEndpoint } from "@/lib/auth";

export const GET = endpointRoute(listApiKeysEndpoint);
export const POST = endpointRoute(createApiKeyEndpoint);
