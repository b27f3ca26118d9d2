import { endpointRoute } from "@/lib/endpoints";
import { getTrackedEndpoint, updateTrackedEndpoint, untrackNoticeEndpoint } from "@/lib/pipeline";

export const dynamic = "force-dynamic";

export const GET = endpointRoute(getTrackedEndpoint);
export const PATCH = endpointRoute(updateTrackedEndpoint);
export const DELETE = endpointRoute(untrackNoticeEndpoint);
