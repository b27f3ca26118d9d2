import { and, eq, isNull, or } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { outboxEvents } from "@/db/schema";
import { validate } from "@/lib/http";
import { recordEmails } from "@/lib/mail";
import {
  channelPayloadSchema,
  emailPayloadSchema,
  eventPayloadSchema,
  SIGN_IN_EMAIL_KINDS,
  webhookPayloadSchema,
  type EmailPayload,
  type EventPayload,
  type OutboxMessage,
  type OutboxStatus,
  type StoredEmailPayload,
} from "./payloads";
import {
  fillPlaceholders,
  hideClearTokenLinks,
  isUnsubscribeSecret,
  placeholdersIn,
  sealSecrets,
} from "./sealed-links";

export type EnqueueOutboxInput = OutboxMessage & {
  /** The org the message belongs to; null/omitted = system messages (ops alerts), one shared namespace. */
  orgId?: string | null;
  /** Unique per org: enqueuing the same key again is a no-op that answers the existing row. */
  dedupeKey: string;
};

export interface EnqueuedOutbox {
  id: string;
  /** False when the dedupe key was already there: nothing new was written. */
  created: boolean;
  status: OutboxStatus;
}

const keyOf = (orgId: string | null, dedupeKey: string) => `${orgId ?? ""}|${dedupeKey}`;

/**
 * The e-mail as it may be stored: its secrets sealed, any credential-bearing link left in the
 * clear hidden. Refuses (a programming error, never a customer's input) a sign-in e-mail
 * without a sealed link and a secret without its placeholder.
 */
function storedEmail(input: EmailPayload): StoredEmailPayload {
  const { secrets = {}, ...email } = input;
  const named = placeholdersIn(email.text, email.html, email.unsubscribe);
  const given = Object.keys(secrets);
  if (given.some((name) => !named.has(name)))
    throw new Error(`e-mail "${email.kind}": every secret needs its {{placeholder}} in the text`);
  if (SIGN_IN_EMAIL_KINDS.includes(email.kind) && given.length === 0)
    throw new Error(`e-mail "${email.kind}" signs someone in: pass its link in secrets`);
  const stored: StoredEmailPayload = {
    ...email,
    subject: hideClearTokenLinks(email.subject),
    text: hideClearTokenLinks(email.text),
    html: email.html === undefined ? undefined : hideClearTokenLinks(email.html),
  };
  if (stored.html === undefined) delete stored.html;
  return given.length > 0 ? { ...stored, sealed: sealSecrets(secrets) } : stored;
}

function normalise(input: EnqueueOutboxInput) {
  const dedupeKey = input.dedupeKey.trim();
  if (dedupeKey.length === 0 || dedupeKey.length > 500)
    throw new Error("enqueueOutbox needs a dedupe key of 1–500 characters");
  const payload =
    input.kind === "email"
      ? storedEmail(validate(emailPayloadSchema, input.payload))
      : input.kind === "event"
        ? validate(eventPayloadSchema, input.payload)
        : input.kind === "channel"
          ? validate(channelPayloadSchema, input.payload)
          : validate(webhookPayloadSchema, input.payload);
  return { orgId: input.orgId ?? null, kind: input.kind, dedupeKey, payload: payload as Record<string, unknown> };
}

/** What `email_messages` keeps: the body with every sealed link hidden. */
function recordOf(input: EmailPayload, payload: StoredEmailPayload, orgId: string | null) {
  const { sealed, ...email } = payload;
  const secrets = input.secrets ?? {};
  return {
    ...email,
    text: fillPlaceholders(email.text, secrets, false),
    html: email.html === undefined ? undefined : fillPlaceholders(email.html, secrets, false),
    sensitive: sealed !== undefined && Object.keys(secrets).some((name) => !isUnsubscribeSecret(name)),
    orgId,
  };
}

/**
 * Writes messages to the outbox with `tx` — the transaction making the change that causes them,
 * so the change and its notifications commit or roll back together. Each e-mail also gets its
 * `email_messages` record (same id) here. Answers one entry per input, in order. Delivery comes
 * later: `deliverOutboxNow(ids)` right after commit, or the sweep (`deliverDueOutbox`).
 */
export async function enqueueOutboxMany(tx: DbOrTx, inputs: readonly EnqueueOutboxInput[]): Promise<EnqueuedOutbox[]> {
  if (inputs.length === 0) return [];
  const rows = inputs.map(normalise);
  const inserted = await tx
    .insert(outboxEvents)
    .values(rows)
    // The unique (org_id, dedupe_key) constraint, nulls not distinct, decides: not a check in code.
    .onConflictDoNothing()
    .returning({
      id: outboxEvents.id,
      orgId: outboxEvents.orgId,
      dedupeKey: outboxEvents.dedupeKey,
      status: outboxEvents.status,
    });
  const found = new Map<string, EnqueuedOutbox>();
  for (const row of inserted)
    found.set(keyOf(row.orgId, row.dedupeKey), { id: row.id, created: true, status: row.status as OutboxStatus });

  const emails = rows
    .map((row, i) => ({ row, input: inputs[i]!, queued: found.get(keyOf(row.orgId, row.dedupeKey)) }))
    .filter(({ row, queued }) => row.kind === "email" && queued?.created)
    .map(({ row, input, queued }) => ({
      id: queued!.id,
      message: recordOf(input.payload as EmailPayload, row.payload as StoredEmailPayload, row.orgId),
    }));
  await recordEmails(tx, emails);

  const missing = rows.filter((row) => !found.has(keyOf(row.orgId, row.dedupeKey)));
  if (missing.length > 0) {
    const existing = await tx
      .select({
        id: outboxEvents.id,
        orgId: outboxEvents.orgId,
        dedupeKey: outboxEvents.dedupeKey,
        status: outboxEvents.status,
      })
      .from(outboxEvents)
      .where(
        or(
          ...missing.map((row) =>
            and(
              row.orgId ? eq(outboxEvents.orgId, row.orgId) : isNull(outboxEvents.orgId),
              eq(outboxEvents.dedupeKey, row.dedupeKey),
            ),
          ),
        ),
      );
    for (const row of existing)
      found.set(keyOf(row.orgId, row.dedupeKey), { id: row.id, created: false, status: row.status as OutboxStatus });
  }
  return rows.map((row) => {
    const queued = found.get(keyOf(row.orgId, row.dedupeKey));
    if (!queued) throw new Error("outbox insert conflicted but no row has its dedupe key");
    return queued;
  });
}

/** One message; see enqueueOutboxMany. A repeated dedupe key answers the existing row, `created: false`. */
export async function enqueueOutbox(tx: DbOrTx, input: EnqueueOutboxInput): Promise<EnqueuedOutbox> {
  const [queued] = await enqueueOutboxMany(tx, [input]);
  return queued!;
}

/** The outbox dedupe key of an event: its name and id, so the same event is written once. */
export const eventDedupeKey = (event: { name: string; id: string }) => `event:${event.name}:${event.id}`;

/**
 * Writes events for the background functions with `tx`, the transaction of the change that causes
 * them: they are sent (to Inngest) only if it commits, and then for sure — retried with backoff,
 * dead-lettered in the cockpit past OUTBOX_MAX_ATTEMPTS. Each needs a deterministic `id`: the
 * dedupe key here, and Inngest's own dedupe when a row is sent twice. After commit, pass the
 * answered ids to `deliverOutboxNow`.
 */
export async function enqueueEvents(
  tx: DbOrTx,
  events: readonly (EventPayload & { id: string; dedupeKey?: string })[],
  options: { orgId?: string } = {},
): Promise<EnqueuedOutbox[]> {
  // System rows (no org) unless the event is about one org: event ids are unique on their own. A
  // tenant transaction (withTenant) can only write its own org's rows, so it passes `orgId`.
  return enqueueOutboxMany(
    tx,
    events.map((event) => ({
      kind: "event" as const,
      orgId: options.orgId ?? null,
      dedupeKey: event.dedupeKey ?? eventDedupeKey(event),
      payload: { name: event.name, id: event.id, data: event.data },
    })),
  );
}
