import { endpointRoute } from "@/lib/endpoints";
import { listTrackedEndpoint, trackNoticeEndpoint } from "@/lib/pipeline";

export const dynamic = "force-dynamic";

export const GET = endpointRoute(listTrackedEndpoint);
export const POST = endpointRoute(trackNoticeEndpoint);
