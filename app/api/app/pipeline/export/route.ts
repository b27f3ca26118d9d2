import { endpointRoute } from "@/lib/endpoints";
import { exportPipelineEndpoint } from "@/lib/pipeline";

export const dynamic = "force-dynamic";

export const GET = endpointRoute(exportPipelineEndpoint);
