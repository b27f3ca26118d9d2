import { memberAuth } from "@/lib/auth";
import { parseJsonBody, route } from "@/lib/http";
import { removeMember, updateMemberRole, updateMemberRoleSchema } from "@/lib/orgs";

export const PATCH = route(
  async ({ auth, params, request }) => {
    const input = await parseJsonBody(request, updateMemberRoleSchema);
    return { body: await updateMemberRole(auth.orgId, auth.actor, String(params.id), input.role) };
  },
  { authenticate: memberAuth },
);

export const DELETE = route(
  async ({ auth, params }) => {
    await removeMember(auth.orgId, auth.actor, String(params.id));
    return { status: 204, body: null };
  },
  { authenticate: memberAuth },
);
