import { endpointRoute } from "@/lib/endpoints";
import { testChannelEndpoint } from "@/lib/channels";

export const dynamic = "force-dynamic";

export const POST = endpointRoute(testChannelEndpoint);
