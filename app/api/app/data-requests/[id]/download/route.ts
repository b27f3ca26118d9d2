import { endpointRoute } from "@/lib/endpoints";
import { downloadExportEndpoint } from "@/lib/retention";

export const dynamic = "force-dynamic";

export const GET = endpointRoute(downloadExportEndpoint);
