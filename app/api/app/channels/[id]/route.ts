import { memberAuth } from "@/lib/auth";
import { deleteChannel, updateChannel, updateChannelSchema } from "@/lib/channels";
import { parseJsonBody, route } from "@/lib/http";

export const dynamic = "force-dynamic";

/** Rename, switch off, or switch back on (which clears the failure count). */
export const PATCH = route(
  async ({ auth, params, request }) => {
    const input = await parseJsonBody(request, updateChannelSchema);
    return { body: await updateChannel(auth.orgId, auth.actor, String(params.id), input) };
  },
  { authenticate: memberAuth },
);

export const DELETE = route(
  async ({ auth, params }) => {
    await deleteChannel(auth.orgId, auth.actor, String(params.id));
    return { status: 204, body: null };
  },
  { authenticate: memberAuth },
);
