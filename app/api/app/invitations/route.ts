import { endpointRoute } from "@/lib/endpoints";
import { inviteMemberEndpoint } from "@/lib/orgs";

export const POST = endpointRoute(inviteMemberEndpoint);
