import { apiKeyAuth } from "@/lib/auth";
import { route } from "@/lib/http";
import { getOrganization } from "@/lib/orgs";

/** Who this API key belongs to: lets a client check its key without spending quota. */
export const GET = route(
  async ({ auth }) => {
    const org = await getOrganization(auth.orgId);
    return {
      body: { org: { id: org.id, name: org.name, plan: org.plan }, api_key: { prefix: auth.prefix, name: auth.name } },
    };
  },
  { authenticate: apiKeyAuth },
);
