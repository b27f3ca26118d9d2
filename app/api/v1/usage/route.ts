import { endpointRoute } from "@/lib/endpoints";
import { usageEndpoint } from "@/lib/metering";

export const GET = endpointRoute(usageEndpoint);
