import { z } from "zod";
import { defineEndpoint } from "@/lib/http";
import { createChannel, deleteChannel, listChannels, sendTestPost, updateChannel } from "./channels";
import { createChannelSchema, updateChannelSchema } from "./schemas";

const channelId = z.object({ id: z.string() });

export const listChannelsEndpoint = defineEndpoint({
  name: "appListChannels",
  method: "GET",
  path: "/api/app/channels",
  auth: "session",
  summary: "The organisation's channels (never their URLs: `url_hint` only).",
  success: { status: 200 },
  problems: ["forbidden"],
  handle: async ({ ctx }) => ({ body: { data: await listChannels(ctx) } }),
});

export const createChannelEndpoint = defineEndpoint({
  name: "appCreateChannel",
  method: "POST",
  path: "/api/app/channels",
  auth: "session",
  summary: "Add a Slack, Teams or signed webhook channel.",
  description: "A signed webhook's `signing_secret` is in this response only.",
  body: createChannelSchema,
  success: { status: 201, headers: { location: "The new channel's URL." } },
  problems: ["forbidden", "conflict"],
  handle: async ({ ctx, body }) => {
    const created = await createChannel(ctx, body);
    return { status: 201, body: created, headers: { location: `/api/app/channels/${created.channel.id}` } };
  },
});

export const updateChannelEndpoint = defineEndpoint({
  name: "appUpdateChannel",
  method: "PATCH",
  path: "/api/app/channels/{id}",
  auth: "session",
  summary: "Rename, switch off, or switch back on (which clears the failure count).",
  params: channelId,
  body: updateChannelSchema,
  success: { status: 200 },
  problems: ["forbidden", "not_found"],
  handle: async ({ ctx, params, body }) => ({ body: await updateChannel(ctx, params.id, body) }),
});

export const deleteChannelEndpoint = defineEndpoint({
  name: "appDeleteChannel",
  method: "DELETE",
  path: "/api/app/channels/{id}",
  auth: "session",
  summary: "Remove a channel.",
  params: channelId,
  success: { status: 204 },
  problems: ["forbidden", "not_found"],
  handle: async ({ ctx, params }) => {
    await deleteChannel(ctx, params.id);
    return { status: 204, body: null };
  },
});

export const testChannelEndpoint = defineEndpoint({
  name: "appTestChannel",
  method: "POST",
  path: "/api/app/channels/{id}/test",
  auth: "session",
  summary: "Send a test post through the outbox at once and answer how it went.",
  params: channelId,
  success: { status: 200 },
  problems: ["forbidden", "not_found"],
  handle: async ({ ctx, params }) => ({ body: await sendTestPost(ctx, params.id) }),
});
