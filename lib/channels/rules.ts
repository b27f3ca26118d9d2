import type { TextRules } from "@/lib/validation/rules";

// Browser-safe field rules of the channel form; ./schemas.ts builds the zod schemas from them.

export const CHANNEL_KINDS = ["slack", "teams", "webhook"] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export const CHANNEL_KIND_LABELS: Record<ChannelKind, string> = {
  slack: "Slack",
  teams: "Microsoft Teams",
  webhook: "Signed webhook",
};

export const CHANNEL_RULES = {
  kind: { oneOf: [CHANNEL_KINDS, "Choose Slack, Microsoft Teams or a signed webhook."] },
  name: {
    trim: true,
    collapseSpaces: true,
    min: [1, "Name the channel, e.g. “#capture-team”."],
    max: [80, "Use at most 80 characters."],
  },
  url: {
    trim: true,
    min: [1, "Paste the webhook URL."],
    max: [2_000, "Use a URL of at most 2,000 characters."],
    pattern: [/^https?:\/\/\S+$/i, "Enter the full URL, starting with https://."],
  },
} satisfies Record<string, TextRules>;

/** Failed deliveries in a row (no 2xx between them) after which a channel is switched off. */
export const CHANNEL_FAILURE_LIMIT = 5;
