import { z } from "zod";
import { textSchema } from "@/lib/validation";
import { CHANNEL_RULES } from "./rules";

export const createChannelSchema = z
  .object({
    kind: textSchema(CHANNEL_RULES.kind),
    name: textSchema(CHANNEL_RULES.name),
    url: textSchema(CHANNEL_RULES.url),
  })
  .strict();

export type CreateChannelInput = z.infer<typeof createChannelSchema>;

/** PATCH: rename, switch off, or switch back on (which clears the failure count). */
export const updateChannelSchema = z
  .object({
    name: textSchema(CHANNEL_RULES.name).optional(),
    enabled: z.boolean({ message: "enabled is true or false." }).optional(),
  })
  .strict()
  .refine((patch) => patch.name !== undefined || patch.enabled !== undefined, {
    message: "Send a name, enabled, or both.",
  });

export type UpdateChannelInput = z.infer<typeof updateChannelSchema>;

/** An alert's channels: ids of the org's channels, duplicates dropped. */
export const channelIdsSchema = z
  .array(z.uuid({ message: "Each channel id must be a channel's id." }), {
    message: "channel_ids is a list of channel ids.",
  })
  .max(20, "Choose at most 20 channels.")
  .transform((ids) => [...new Set(ids.map((id) => id.toLowerCase()))]);
