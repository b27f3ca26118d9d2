import { endpointRoute } from "@/lib/endpoints";
import { getAlertEndpoint, deleteAlertEndpoint } from "@/lib/alerts";

export const GET = endpointRoute(getAlertEndpoint);
export const DELETE = endpointRoute(deleteAlertEndpoint);
