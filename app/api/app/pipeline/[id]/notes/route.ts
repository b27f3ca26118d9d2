import { endpointRoute } from "@/lib/endpoints";
import { addNoteEndpoint } from "@/lib/pipeline";

export const dynamic = "force-dynamic";

export const POST = endpointRoute(addNoteEndpoint);
