import { createApiKey, listApiKeys, memberAuth } from "@/lib/auth";
import { parseJsonBody, route } from "@/lib/http";
import { createApiKeySchema } from "@/lib/orgs";

export const GET = route(async ({ auth }) => ({ body: { data: await listApiKeys(auth.orgId, auth.actor) } }), {
  authenticate: memberAuth,
});

/** The full key is in this response only; afterwards only its prefix is ever shown. */
export const POST = route(
  async ({ auth, request }) => {
    const input = await parseJsonBody(request, createApiKeySchema);
    const key = await createApiKey(auth.orgId, { name: input.name }, auth.actor);
    return { status: 201, body: key };
  },
  { authenticate: memberAuth },
);
