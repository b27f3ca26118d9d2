import { endpointRoute, openApiEndpoint } from "@/lib/endpoints";

export const GET = endpointRoute(openApiEndpoint);
