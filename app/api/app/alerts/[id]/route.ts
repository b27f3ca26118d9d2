import { endpointRoute } from "@/lib/endpoints";
import { updateOwnAlertEndpoint, deleteOwnAlertEndpoint } from "@/lib/alerts";

export const PATCH = endpointRoute(updateOwnAlertEndpoint);
export const DELETE = endpointRoute(deleteOwnAlertEndpoint);
