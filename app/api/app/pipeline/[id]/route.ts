import { memberAuth } from "@/lib/auth";
import { parseJsonBody, route } from "@/lib/http";
import { getTracked, untrackNotice, updateTracked, updateTrackedSchema } from "@/lib/pipeline";

export const dynamic = "force-dynamic";

/** One tracked notice with its notes. */
export const GET = route(
  async ({ auth, params }) => ({ body: await getTracked(auth.orgId, auth.actor, String(params.id)) }),
  {
    authenticate: memberAuth,
  },
);

/** Change the stage and/or the assignee (a member of the org, or null). */
export const PATCH = route(
  async ({ auth, params, request }) => {
    const input = await parseJsonBody(request, updateTrackedSchema);
    return { body: await updateTracked(auth.orgId, auth.actor, String(params.id), input) };
  },
  { authenticate: memberAuth },
);

export const DELETE = route(
  async ({ auth, params }) => {
    await untrackNotice(auth.orgId, auth.actor, String(params.id));
    return { status: 204, body: null };
  },
  { authenticate: memberAuth },
);
