import { endpointRoute } from "@/lib/endpoints";
import { updateChannelEndpoint, deleteChannelEndpoint } from "@/lib/channels";

export const dynamic = "force-dynamic";

export const PATCH = endpointRoute(updateChannelEndpoint);
export const DELETE = endpointRoute(deleteChannelEndpoint);
