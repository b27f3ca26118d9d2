import { memberAuth, revokeApiKey } from "@/lib/auth";
import { route } from "@/lib/http";

export const DELETE = route(
  async ({ auth, params }) => {
    await revokeApiKey(auth.orgId, auth.actor, String(params.id));
    return { status: 204, body: null };
  },
  { authenticate: memberAuth },
);
