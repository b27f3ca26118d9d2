import { memberAuth } from "@/lib/auth";
import { route } from "@/lib/http";
import { assignableRoles, listMembers, listOpenInvitations } from "@/lib/orgs";

export const GET = route(
  async ({ auth }) => {
    const [members, invitations] = await Promise.all([listMembers(auth.orgId, auth.actor), listOpenInvitations(auth.orgId, auth.actor)]);
    return { body: { data: members, invitations, me: { userId: auth.actor.userId, role: auth.actor.role, assignableRoles: assignableRoles(auth.actor.role) } } };
  },
  { authenticate: memberAuth },
);
