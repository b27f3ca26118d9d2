import { endpointRoute } from "@/lib/endpoints";
import { listOwnAlertsEndpoint, createOwnAlertEndpoint } from "@/lib/alerts";

export const GET = endpointRoute(listOwnAlertsEndpoint);
export const POST = endpointRoute(createOwnAlertEndpoint);
