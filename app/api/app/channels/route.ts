import { endpointRoute } from "@/lib/endpoints";
import { listChannelsEndpoint, createChannelEndpoint } from "@/lib/channels";

export const dynamic = "force-dynamic";

export const GET = endpointRoute(listChannelsEndpoint);
export const POST = endpointRoute(createChannelEndpoint);
