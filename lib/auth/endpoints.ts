import { z } from "zod";
import { PLAN_IDS } from "@/lib/plans";
import { defineEndpoint } from "@/lib/http";
import { createApiKeySchema, getOrganization } from "@/lib/orgs";
import { createApiKey, listApiKeys, revokeApiKey } from "./api-keys";

export const meEndpoint = defineEndpoint({
  name: "getMe",
  method: "GET",
  path: "/api/v1/me",
  auth: "apiKey",
  summary: "Who this API key belongs to.",
  description: "Lets a client check its key without spending quota. Not metered.",
  success: {
    status: 200,
    body: z
      .object({
        org: z.object({ id: z.uuid(), name: z.string(), plan: z.enum(PLAN_IDS) }),
        api_key: z.object({
          prefix: z.string().describe("The key's first characters, as the settings page shows them."),
          name: z.string(),
        }),
      })
      .meta({ title: "Me" }),
  },
  problems: [],
  handle: async ({ auth, ctx }) => {
    const org = await getOrganization(ctx);
    return {
      body: { org: { id: org.id, name: org.name, plan: org.plan }, api_key: { prefix: auth.prefix, name: auth.name } },
    };
  },
});

const keyId = z.object({ id: z.string() });

export const listApiKeysEndpoint = defineEndpoint({
  name: "appListApiKeys",
  method: "GET",
  path: "/api/app/api-keys",
  auth: "session",
  summary: "The organisation's API keys (prefixes only).",
  success: { status: 200 },
  problems: ["forbidden"],
  handle: async ({ ctx }) => ({ body: { data: await listApiKeys(ctx) } }),
});

export const createApiKeyEndpoint = defineEndpoint({
  name: "appCreateApiKey",
  method: "POST",
  path: "/api/app/api-keys",
  auth: "session",
  summary: "Create an API key.",
  description: "The full key is in this response only; afterwards only its prefix is ever shown.",
  body: createApiKeySchema,
  success: { status: 201 },
  problems: ["forbidden", "not_found"],
  handle: async ({ ctx, body }) => ({
    status: 201,
    body: await createApiKey(ctx, { name: body.name }),
  }),
});

export const revokeApiKeyEndpoint = defineEndpoint({
  name: "appRevokeApiKey",
  method: "DELETE",
  path: "/api/app/api-keys/{id}",
  auth: "session",
  summary: "Revoke an API key.",
  params: keyId,
  success: { status: 204 },
  problems: ["forbidden", "not_found"],
  handle: async ({ ctx, params }) => {
    await revokeApiKey(ctx, params.id);
    return { status: 204, body: null };
  },
});
