import { memberAuth } from "@/lib/auth";
import { parseJsonBody, route } from "@/lib/http";
import { inviteMember, inviteMemberSchema } from "@/lib/orgs";

/** Invites a member; the link is returned once so the inviter can also share it directly. */
export const POST = route(
  async ({ auth, request }) => {
    const input = await parseJsonBody(request, inviteMemberSchema);
    const { invitation, url } = await inviteMember(auth.orgId, auth.actor, input);
    return {
      status: 201,
      body: {
        id: invitation.id,
        email: invitation.email,
        role: invitation.role,
        expires_at: invitation.expiresAt,
        url,
      },
    };
  },
  { authenticate: memberAuth },
);
