import { endpointRoute } from "@/lib/endpoints";
import { revokeInvitationEndpoint } from "@/lib/orgs";

export const DELETE = endpointRoute(revokeInvitationEndpoint);
