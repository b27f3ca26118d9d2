import { z } from "zod";

/** An e-mail waiting in the outbox; `kind` is what `email_messages.kind` records. */
export const emailPayloadSchema = z
  .object({
    kind: z.string().min(1).max(100),
    to: z.string().email().max(320),
    subject: z.string().min(1).max(500),
    text: z.string().max(200_000),
    html: z.string().max(500_000).optional(),
  })
  .strict();

const jsonValue: z.ZodType<unknown> = z.lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]));

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

export type EmailPayload = z.infer<typeof emailPayloadSchema>;
export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;

export type OutboxKind = "email" | "webhook";
export const OUTBOX_STATUSES = ["pending", "sending", "delivered", "dead", "discarded"] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export type OutboxMessage = { kind: "email"; payload: EmailPayload } | { kind: "webhook"; payload: WebhookPayload };
