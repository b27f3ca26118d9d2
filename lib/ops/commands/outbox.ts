import { z } from "zod";
import { operatorCan } from "@/lib/auth";
import {
  deliverDueOutbox,
  deliverOutboxNow,
  discardOutbox,
  OUTBOX_KINDS,
  replayDeadLetter,
  replayOutbox,
  retryOutboxCircuit,
} from "@/lib/outbox";
import { presentOutboxCircuit } from "../dead-letter-view";
import { defineOperatorCommand } from "./define";

const messageId = z.object({ id: z.string().uuid() });

/** Replay one dead letter and try it at once: 404 without such a message, 409 once it is no longer dead. */
export const replayOneDeadLetter = defineOperatorCommand({
  name: "dead-letters.replay",
  permission: "dead_letters:replay",
  writes: true,
  audit: "outbox.replay",
  params: messageId,
  notFound: "dead letter",
  run: async (ctx, { id }) => {
    await replayDeadLetter(ctx, id);
    await deliverOutboxNow([id]);
    return { replayed: 1 };
  },
});

/** Discard: the message is never sent. */
export const discardDeadLetter = defineOperatorCommand({
  name: "dead-letters.discard",
  permission: "dead_letters:discard",
  writes: true,
  audit: "outbox.discard",
  params: messageId,
  notFound: "outbox event",
  run: (ctx, { id }) => discardOutbox(ctx, id),
  answer: () => ({ status: 204 }),
});

const bulkReplayBody = z
  .object({
    ids: z.array(z.string().uuid()).min(1).max(1000).optional(),
    filter: z
      .object({
        kind: z.enum(OUTBOX_KINDS).optional(),
        org: z.string().uuid().optional(),
        q: z.string().trim().min(1).max(200).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((b) => Boolean(b.ids) !== Boolean(b.filter), "Send either ids or filter.");

/** Bulk replay by ids or by filter (at most 1,000 per call); each one audited, the first 100 tried at once. */
export const bulkReplayDeadLetters = defineOperatorCommand({
  name: "dead-letters.bulk-replay",
  permission: "dead_letters:replay",
  writes: true,
  audit: "outbox.replay",
  params: z.object({}),
  notFound: "dead letters",
  body: bulkReplayBody,
  // The cockpit replays what its filter shows.
  fromForm: (fields) => ({ filter: { kind: fields.kind || undefined, q: fields.q?.trim() || undefined } }),
  run: async (ctx, body) => {
    const replayed = body.ids
      ? await replayOutbox(ctx, { ids: body.ids })
      : await replayOutbox(ctx, {
          filter: { kind: body.filter!.kind, orgId: body.filter!.org, search: body.filter!.q },
        });
    if (replayed > 0) await deliverDueOutbox({ limit: Math.min(replayed, 100) });
    return { replayed };
  },
});

/** "Retry now": an open circuit becomes half-open, so the next delivery run sends one probe there. */
export const retryCircuit = defineOperatorCommand({
  name: "outbox-circuits.retry",
  permission: "dead_letters:replay",
  writes: true,
  audit: "outbox.circuit_retry",
  params: z.object({}),
  notFound: "circuit",
  // In the body, not the path: a destination (`webhook:https://host`) is full of reserved characters.
  body: z.object({ destination: z.string().min(1).max(2_100), reason: z.string().trim().max(500).optional() }).strict(),
  run: (ctx, body) => retryOutboxCircuit(ctx, body.destination, { reason: body.reason ?? null }),
  answer: (circuit, _input, ctx) => ({
    body: { data: presentOutboxCircuit(circuit, operatorCan(ctx.role, "ops:read_pii")) },
  }),
});
