import { memberAuth } from "@/lib/auth";
import { createChannel, createChannelSchema, listChannels } from "@/lib/channels";
import { parseJsonBody, route } from "@/lib/http";

export const dynamic = "force-dynamic";

/** The org's channels (never their URLs: `url_hint` only). */
export const GET = route(async ({ auth }) => ({ body: { data: await listChannels(auth.orgId, auth.actor) } }), {
  authenticate: memberAuth,
});

/** A signed webhook's `signing_secret` is in this response only. */
export const POST = route(
  async ({ auth, request }) => {
    const input = await parseJsonBody(request, createChannelSchema);
    const created = await createChannel(auth.orgId, auth.actor, input);
    return { status: 201, body: created, headers: { location: `/api/app/channels/${created.channel.id}` } };
  },
  { authenticate: memberAuth },
);
