import { endpointRoute } from "@/lib/endpoints";
import { listAlertsEndpoint, createAlertEndpoint } from "@/lib/alerts";

export const GET = endpointRoute(listAlertsEndpoint);
export const POST = endpointRoute(createAlertEndpoint);
