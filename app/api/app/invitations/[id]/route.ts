import { memberAuth } from "@/lib/auth";
import { route } from "@/lib/http";
import { revokeInvitation } from "@/lib/orgs";

export const DELETE = route(
  async ({ auth, params }) => {
    await revokeInvitation(auth.orgId, auth.actor, String(params.id));
    return { status: 204, body: null };
  },
  { authenticate: memberAuth },
);
