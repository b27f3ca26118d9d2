import { eq } from "drizzle-orm";
import { groupCallsBy } from "@/db/group-calls";
import Stripe from "stripe";
import { sqlLiteral, sqlTextLiteral, writeWithCommit } from "@/db/tenant";
import { stripeEvents } from "@/db/schema";
import type { BeaconEvent, SystemContext } from "@/lib/context";
import { env } from "@/lib/env";
import { AppError } from "@/lib/http";
import { logger } from "@/lib/observability";
import { idOf, obj, str } from "./stripe-events/fields";
import { STRIPE_EVENT_HANDLERS } from "./stripe-events";
import type { StripeEventInput, StripeObject } from "./stripe-events/types";

/** Seconds a signature timestamp may lag (Stripe's default). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;
/** How long a claim holds before another delivery may take the event over. */
export const CLAIM_LEASE_MS = 60_000;

export interface WebhookOutcome {
  received: true;
  duplicate: boolean;
  /**
   * Events for the background functions (dunning…), already written to the outbox in the
   * event's transaction and handed to Inngest; never part of the HTTP answer.
   */
  events: BeaconEvent[];
}

/** Only these top-level fields of the object are kept (type, ids, status): never card data. */
const METADATA_FIELDS = [
  "object",
  "status",
  "mode",
  "payment_status",
  "customer",
  "subscription",
  "payment_intent",
  "billing_reason",
  "cancel_at_period_end",
] as const;

function eventMetadata(object: StripeObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of METADATA_FIELDS) {
    const value = object[field];
    if (typeof value === "boolean") out[field] = value;
    else if (idOf(value)) out[field] = idOf(value);
  }
  const parentSubscription = idOf(obj(obj(object.parent)?.subscription_details)?.subscription);
  if (parentSubscription && !out.subscription) out.subscription = parentSubscription;
  return out;
}

function verify(rawBody: Uint8Array | string, signatureHeader: string | null): Stripe.Event {
  const secret = env().STRIPE_WEBHOOK_SECRET;
  if (!secret) throw new Error("STRIPE_WEBHOOK_SECRET is not configured");
  if (!signatureHeader) throw new AppError("invalid_payload", "Missing Stripe-Signature header.");
  const payload =
    typeof rawBody === "string" ? rawBody : Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength);
  try {
    return Stripe.webhooks.constructEvent(payload, signatureHeader, secret, SIGNATURE_TOLERANCE_SECONDS);
  } catch {
    // Bad signature, stale timestamp or a body that is not JSON: nothing is stored.
    throw new AppError("invalid_payload", "The Stripe signature or payload is invalid.");
  }
}

function toInput(event: Stripe.Event): StripeEventInput {
  const object = obj((event as { data?: { object?: unknown } }).data?.object);
  if (typeof event.id !== "string" || typeof event.type !== "string" || typeof event.created !== "number" || !object) {
    throw new AppError("invalid_payload", "The payload is not a Stripe event.");
  }
  return { id: event.id, type: event.type, created: new Date(event.created * 1000), object };
}

interface ClaimRequest {
  ctx: SystemContext;
  event: StripeEventInput;
  verified: Stripe.Event;
  now: Date;
}

const at = (date: Date) => `${sqlLiteral(date.toISOString())}::timestamptz`;

function claimValues({ event, verified, now }: ClaimRequest) {
  return `(${sqlTextLiteral(event.id)}, ${sqlTextLiteral(event.type)}, ${at(event.created)}, ${verified.livemode === true},
      ${sqlTextLiteral(str(verified.api_version))}, 'processing', 1, ${at(new Date(now.getTime() + CLAIM_LEASE_MS))},
      ${sqlTextLiteral(idOf(event.object.id))}, ${sqlTextLiteral(JSON.stringify(eventMetadata(event.object)))}::jsonb, ${at(now)})`;
}

/**
 * Stores events and claims them for processing in ONE statement, committed on its own before
 * any processing starts: a new event is stored already claimed; a stored one is claimed only
 * when failed (or received, by an older version), or when its previous claim's lease ran out at
 * that delivery's clock (a crashed worker). A concurrent delivery of the same event waits for
 * this row's commit, then finds it claimed, so two deliveries never both win. Deliveries arriving
 * together go in one statement (group commit, `db/group-calls.ts`); one statement cannot touch a
 * row twice, so of two deliveries of one event in a batch the first claims and the second is a
 * duplicate. Each answer is null when the event is not ours to process (processed, or another
 * delivery holds a live lease).
 */
const storeAndClaim = groupCallsBy(
  (request: ClaimRequest) => request.ctx.actor.reason,
  async (_reason, requests: ClaimRequest[]) => {
    const firstOf = new Map<string, ClaimRequest>();
    for (const request of requests) if (!firstOf.has(request.event.id)) firstOf.set(request.event.id, request);
    const rows = await requests[0]!.ctx.statement<{ id: string; attempts: number }>(
      `insert into stripe_events as e (id, type, created, livemode, api_version, status, attempts, lease_until, object_id, metadata, received_at)
    values ${[...firstOf.values()].map(claimValues).join(",\n    ")}
    on conflict (id) do update set status = 'processing', attempts = e.attempts + 1, lease_until = excluded.lease_until
      where e.status in ('received', 'failed') or (e.status = 'processing' and e.lease_until < excluded.received_at)
    returning e.id, e.attempts`,
    );
    const claimed = new Map(rows.map((row) => [row.id, row]));
    return requests.map((request) =>
      firstOf.get(request.event.id) === request ? (claimed.get(request.event.id) ?? null) : null,
    );
  },
);

/**
 * Processes a stored, claimed event in one transaction, which also marks it processed and sends
 * the events it causes (handed over once it commits).
 */
async function process(ctx: SystemContext, event: StripeEventInput, now: Date): Promise<BeaconEvent[]> {
  const handler = STRIPE_EVENT_HANDLERS[event.type];
  return ctx.transaction(async (tx, send) => {
    const result = handler
      ? await handler(tx, event, now)
      : { orgId: null, log: `${event.type}: not handled, acknowledged` };
    // Nothing reads it back in this transaction: it rides with the COMMIT (one round trip fewer).
    const orgSet = result.orgId ? `, org_id = ${sqlLiteral(result.orgId)}` : "";
    await writeWithCommit(
      tx,
      `update stripe_events set status = 'processed', processed_at = ${sqlLiteral(now.toISOString())},
        lease_until = null, last_error = null${orgSet} where id = ${sqlTextLiteral(event.id)}`,
    );
    logger.info({ stripeEventId: event.id, type: event.type, orgId: result.orgId }, result.log);
    const events = result.events ?? [];
    await send(...events);
    return events;
  });
}

/**
 * Stores a Stripe event (id = idempotency key) and claims it with a lease, committed BEFORE
 * processing, then processes it from the payload alone in one transaction. A duplicate (already processed, or
 * another delivery holding a live lease) answers `duplicate: true` and changes nothing; a
 * processing error marks the event failed and rethrows. Used by the webhook, the reconciliation
 * sweep and the cockpit's re-process, so every path applies an event the same way. Runs as
 * `systemActor("billing")`: the org is known only once the event is read. The context's clock
 * drives leases and timestamps.
 */
export async function ingestStripeEvent(ctx: SystemContext, verified: Stripe.Event): Promise<WebhookOutcome> {
  const event = toInput(verified);
  const now = ctx.now();

  const claimed = await storeAndClaim({ ctx, event, verified, now });
  if (!claimed) return { received: true, duplicate: true, events: [] };

  let events: BeaconEvent[];
  try {
    events = await process(ctx, event, now);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await ctx.transaction((tx) =>
      tx
        .update(stripeEvents)
        .set({ status: "failed", leaseUntil: null, lastError: message.slice(0, 2000) })
        .where(eq(stripeEvents.id, event.id)),
    );
    logger.error({ err: error, stripeEventId: event.id, type: event.type }, "stripe event processing failed");
    throw error;
  }
  return { received: true, duplicate: false, events };
}

/**
 * The Stripe webhook: verify the signature (against the real clock), then ingest the event.
 * A processing error rethrows: the route answers 500, Stripe retries, the next delivery
 * re-claims it. The context's clock drives leases and timestamps.
 */
export async function receiveStripeWebhook(
  ctx: SystemContext,
  input: { rawBody: Uint8Array | string; signature: string | null },
): Promise<WebhookOutcome> {
  return ingestStripeEvent(ctx, verify(input.rawBody, input.signature));
}
