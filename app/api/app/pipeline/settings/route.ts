import { memberAuth } from "@/lib/auth";
import { parseJsonBody, route } from "@/lib/http";
import { getPipelineSettings, pipelineSettingsSchema, updatePipelineSettings } from "@/lib/pipeline";

export const dynamic = "force-dynamic";

export const GET = route(async ({ auth }) => ({ body: await getPipelineSettings(auth.orgId, auth.actor) }), {
  authenticate: memberAuth,
});

/** Days before a response deadline the reminder goes out (0 = off): owners and admins. */
export const PUT = route(
  async ({ auth, request }) => {
    const input = await parseJsonBody(request, pipelineSettingsSchema);
    return { body: await updatePipelineSettings(auth.orgId, auth.actor, input) };
  },
  { authenticate: memberAuth },
);
