import { endpointRoute } from "@/lib/endpoints";
import { listDataRequestsEndpoint, requestDataEndpoint } from "@/lib/retention";

export const dynamic = "force-dynamic";

export const GET = endpointRoute(listDataRequestsEndpoint);
export const POST = endpointRoute(requestDataEndpoint);
