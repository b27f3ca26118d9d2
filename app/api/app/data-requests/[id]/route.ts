import { endpointRoute } from "@/lib/endpoints";
import { getDataRequestEndpoint } from "@/lib/retention";

export const dynamic = "force-dynamic";

export const GET = endpointRoute(getDataRequestEndpoint);
