import { z } from "zod";

const emailFields = {
  kind: z.string().min(1).max(100),
  to: z.string().email().max(320),
  subject: z.string().min(1).max(500),
  text: z.string().max(200_000),
  html: z.string().max(500_000).optional(),
  /**
   * The one-click unsubscribe URL (RFC 8058), sent as `List-Unsubscribe` with
   * `List-Unsubscribe-Post`; usually a `{{placeholder}}` of a sealed secret, since it acts without sign-in.
   */
  unsubscribe: z.string().min(1).max(2_000).optional(),
};

/**
 * An e-mail to enqueue; `kind` is what `email_messages.kind` records. A link that signs someone
 * in goes in `secrets` and appears in `text`/`html` as `{{name}}`: it is sealed before it is
 * stored (lib/outbox/sealed-links.ts).
 */
export const emailPayloadSchema = z
  .object({
    ...emailFields,
    secrets: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,39}$/), z.string().min(1).max(4_000)).optional(),
  })
  .strict();

/** An e-mail as the outbox row keeps it: its secrets sealed (until delivered), never in the clear. */
export const storedEmailPayloadSchema = z
  .object({ ...emailFields, sealed: z.string().max(20_000).optional() })
  .strict();

/** The e-mails whose links sign someone in: each must carry its link sealed. */
export const SIGN_IN_EMAIL_KINDS: readonly string[] = ["magic_link", "verify_email", "password_reset", "invitation"];

const jsonValue: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);

/** A signed JSON POST (ops alerts to Slack/Discord/Teams-style URLs). */
export const webhookPayloadSchema = z
  .object({
    url: z
      .string()
      .url()
      .max(2_000)
      .refine((u) => /^https?:\/\//i.test(u), "must be an http(s) URL"),
    body: jsonValue,
    headers: z.record(z.string().max(200), z.string().max(2_000)).optional(),
  })
  .strict();

/**
 * An event for the background functions (Inngest), written in the transaction of the change that
 * causes it. `id` makes Inngest drop a repeat, so a re-sent row never starts a second run; without
 * one the outbox row's own id is used.
 */
export const eventPayloadSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[a-z][a-z0-9_.-]*\/[a-z0-9_.-]+$/, "an event name such as opportunities/ingested"),
    id: z.string().min(1).max(300).optional(),
    data: z.record(z.string(), jsonValue),
  })
  .strict();

/**
 * A post to one of an org's notification channels (lib/channels). The channel's URL is a
 * credential, so the row names the channel and carries the ready body; the URL (and a webhook
 * channel's signing secret) is opened from the channel row only at send time.
 */
export const channelPayloadSchema = z
  .object({
    channel_id: z.uuid(),
    /** What the post is about (`alert.matches`, `notice.changed`, `channel.test`, `channel.disabled`…). */
    type: z.string().min(1).max(100),
    body: jsonValue,
  })
  .strict();

export type EmailPayload = z.infer<typeof emailPayloadSchema>;
export type StoredEmailPayload = z.infer<typeof storedEmailPayloadSchema>;
export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;
export type EventPayload = z.infer<typeof eventPayloadSchema>;
export type ChannelPayload = z.infer<typeof channelPayloadSchema>;

export const OUTBOX_KINDS = ["email", "webhook", "event", "channel"] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];
export const OUTBOX_STATUSES = ["pending", "sending", "delivered", "dead", "discarded"] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export type OutboxMessage =
  | { kind: "email"; payload: EmailPayload }
  | { kind: "webhook"; payload: WebhookPayload }
  | { kind: "event"; payload: EventPayload }
  | { kind: "channel"; payload: ChannelPayload };
