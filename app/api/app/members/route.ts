import { endpointRoute } from "@/lib/endpoints";
import { listMembersEndpoint } from "@/lib/orgs";

export const GET = endpointRoute(listMembersEndpoint);
