import { endpointRoute } from "@/lib/endpoints";
import { updateMemberRoleEndpoint, removeMemberEndpoint } from "@/lib/orgs";

export const PATCH = endpointRoute(updateMemberRoleEndpoint);
export const DELETE = endpointRoute(removeMemberEndpoint);
