import { endpointRoute } from "@/lib/endpoints";
import { meEndpoint } from "@/lib/auth";

export const GET = endpointRoute(meEndpoint);
