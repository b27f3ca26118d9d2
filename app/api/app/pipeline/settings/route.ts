import { endpointRoute } from "@/lib/endpoints";
import { getPipelineSettingsEndpoint, updatePipelineSettingsEndpoint } from "@/lib/pipeline";

export const dynamic = "force-dynamic";

export const GET = endpointRoute(getPipelineSettingsEndpoint);
export const PUT = endpointRoute(updatePipelineSettingsEndpoint);
