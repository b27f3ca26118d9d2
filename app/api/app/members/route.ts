import { memberAuth } from "@/lib/auth";
import { route } from "@/lib/http";
import { assignableRoles, listMembers, listOpenInvitations, seatUsage } from "@/lib/orgs";

export const GET = route(
  async ({ auth }) => {
    const [members, invitations, seats] = await Promise.all([
      listMembers(auth.orgId, auth.actor),
      listOpenInvitations(auth.orgId, auth.actor),
      seatUsage(auth.orgId, auth.actor),
    ]);
    return {
      body: {
        data: members,
        invitations,
        seats,
        me: { userId: auth.actor.userId, role: auth.actor.role, assignableRoles: assignableRoles(auth.actor.role) },
      },
    };
  },
  { authenticate: memberAuth },
);
