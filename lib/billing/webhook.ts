import { eq } from "drizzle-orm";
import { groupCallsBy } from "@/db/group-calls";
import Stripe from "stripe";
import { sqlLiteral, sqlTextLiteral, writeWithCommit } from "@/db/tenant";
import { stripeEvents } from "@/db/schema";
import type { BeaconEvent, SystemContext } from "@/lib/context";
import { env } from "@/lib/env";
import { AppError } from "@/lib/http";
import { logger } from "@/lib/observability";
import { claimOutboxIn, deliverOutboxClaim, enqueueEvents } from "@/lib/outbox";
import { idOf, obj, str } from "./stripe-events/fields";
import { syncOrgPlans } from "./org-plan";
import { STRIPE_EVENT_HANDLERS } from "./stripe-events";
import { StripeCallNotHere, withStripeCalls } from "./stripe-client";
import type { HandlerResult, StripeEventHandler, StripeEventInput, StripeObject } from "./stripe-events/types";

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

interface ApplyRequest {
  ctx: SystemContext;
  event: StripeEventInput;
  now: Date;
  /** Applied on its own, beside the batches, with Stripe calls allowed (its handler needs one). */
  alone?: true;
}

/** One event's outcome in a batch: its handler's result, or the error that failed it alone. */
type Applied = { ok: true; result: HandlerResult; handedOver: Promise<unknown> } | { ok: false; error: unknown };

/** The most events one transaction applies: bounds how long a batch holds its rows. */
const MOST_EVENTS_PER_BATCH = 16;

/** The Stripe customer an event concerns (the customer itself, or its object's `customer`), else the event. */
function customerOf(event: StripeEventInput): string {
  return (event.object.object === "customer" ? idOf(event.object.id) : idOf(event.object.customer)) ?? event.id;
}

const byCustomerThenCreated = (a: ApplyRequest, b: ApplyRequest) => {
  const [ca, cb] = [customerOf(a.event), customerOf(b.event)];
  return (ca < cb ? -1 : ca > cb ? 1 : 0) || a.event.created.getTime() - b.event.created.getTime();
};

/**
 * Applies stored, claimed events in ONE transaction, which also marks them processed and writes
 * the events they cause to the outbox: each handler once for all of its events, then one plan
 * sync for all their orgs. Each handler's events in customer order, so two transactions lock
 * their rows in the same order (at most one event per customer: `oneEventPerCustomer`). Stripe
 * calls are refused inside the transaction unless the events are applied `alone`. Answers once it
 * commits; the hand-over to Inngest (its rows claimed in the transaction: `claimOutboxIn`) is
 * left running for the callers to await, so a slow Inngest holds up no later batch. The hand-over
 * runs outside that setting: what it starts (a background function run in this process) may call
 * Stripe.
 */
async function applyBatch(
  requests: ApplyRequest[],
): Promise<{ results: HandlerResult[]; handedOver: Promise<unknown> }> {
  const ordered = [...requests].sort(byCustomerThenCreated);
  const stripeCalls = requests[0]!.alone ? "allowed" : "refused";
  const { results, handOver } = await withStripeCalls(stripeCalls, () =>
    requests[0]!.ctx.transaction(async (tx) => {
      // Each handler once, for all of its events (set-based where it can), in customer order.
      const latest = new Date(Math.max(...requests.map((request) => request.now.getTime())));
      const byHandler = new Map<StripeEventHandler | undefined, ApplyRequest[]>();
      for (const request of ordered) {
        const handler = STRIPE_EVENT_HANDLERS[request.event.type];
        byHandler.set(handler, [...(byHandler.get(handler) ?? []), request]);
      }
      const results = new Map<ApplyRequest, HandlerResult>();
      for (const [handler, handled] of byHandler) {
        const answers = handler
          ? await handler(
              tx,
              handled.map((request) => request.event),
              latest,
            )
          : handled.map(({ event }) => ({ orgId: null, log: `${event.type}: not handled, acknowledged` }));
        if (answers.length !== handled.length)
          throw new Error(`a handler answered ${answers.length} of ${handled.length}`);
        handled.forEach((request, i) => results.set(request, answers[i]!));
      }
      // After every handler, so each org's plan follows all of the batch's changes to its
      // subscriptions; the orgs locked in id order, each after its customer's subscription (the
      // order one event alone takes them in).
      const syncing = [...results.values()].filter((result) => result.syncsPlan && result.orgId);
      const plans = await syncOrgPlans(
        tx,
        syncing.map((result) => result.orgId!),
        latest,
      );
      for (const result of syncing) result.log = `${result.log}, org plan ${plans.get(result.orgId!)}`;
      const events = [...results.values()].flatMap((result) => result.events ?? []);
      const outbox = events.length > 0 ? await enqueueEvents(tx, events) : [];
      // Claimed here, committed with the batch: the hand-over after the commit is only the send.
      const handOver = await claimOutboxIn(
        tx,
        outbox.filter((row) => row.created).map((row) => row.id),
      );
      const processed = requests.map((request) => {
        const { event, now } = request;
        const orgId = results.get(request)!.orgId;
        return `(${sqlTextLiteral(event.id)}, ${at(now)}, ${orgId ? `${sqlLiteral(orgId)}::uuid` : "null::uuid"})`;
      });
      // Nothing reads it back in this transaction: it rides with the COMMIT (one round trip fewer).
      await writeWithCommit(
        tx,
        `update stripe_events as e set status = 'processed', processed_at = v.processed_at, lease_until = null,
        last_error = null, org_id = coalesce(v.org_id, e.org_id)
       from (values ${processed.join(", ")}) as v(id, processed_at, org_id) where e.id = v.id`,
      );
      return { results: requests.map((request) => results.get(request)!), handOver };
    }),
  );
  return { results, handedOver: deliverOutboxClaim(handOver) };
}

/**
 * Events claimed while a batch is being applied wait and are applied together in the next (group
 * commit, `db/group-calls.ts`): one transaction and one hand-over to Inngest for many events, so
 * the busier the webhook the fewer round trips and the less CPU per event. One batch at a time
 * per process: two in flight halve the batches and cost about a fifth more CPU per event for no
 * more events per second (README, "Benchmarks"). A batch holds at most one event per customer
 * per transaction (`oneEventPerCustomer`). Should a transaction fail, each of its events is
 * applied on its own, so a bad event fails only itself.
 *
 * Stripe is never called inside a batch: a slow Stripe would hold up all of it. A handler that
 * needs Stripe (a second live subscription to resolve) gets `StripeCallNotHere` there, and its
 * event is applied again alone, beside the batches (`alone`), where the call is allowed.
 */
const applyTogether = groupCallsBy(
  ({ ctx, event, alone }: ApplyRequest) => (alone ? `${ctx.actor.reason}:alone:${event.id}` : ctx.actor.reason),
  async (_group, requests: ApplyRequest[]): Promise<Applied[]> => {
    const applied = new Map<ApplyRequest, Applied>();
    for (const round of oneEventPerCustomer(requests)) {
      for (const [request, outcome] of await applyRound(round)) applied.set(request, outcome);
    }
    return requests.map((request) => applied.get(request)!);
  },
  { maxBatch: MOST_EVENTS_PER_BATCH },
);

/**
 * Rounds of at most one event per customer, each customer's oldest first. A transaction then
 * takes each customer's rows in the order one event does (its subscription, then its org):
 * two events of one customer in one transaction could take the org before the subscription,
 * against a lone event holding the subscription and waiting for the org (a deadlock).
 */
function oneEventPerCustomer(requests: ApplyRequest[]): ApplyRequest[][] {
  const rounds: ApplyRequest[][] = [];
  const seen = new Map<string, number>();
  for (const request of [...requests].sort(byCustomerThenCreated)) {
    const customer = customerOf(request.event);
    const round = seen.get(customer) ?? 0;
    seen.set(customer, round + 1);
    (rounds[round] ??= []).push(request);
  }
  return rounds;
}

/** One transaction for the round; should it fail, each of its events on its own. */
async function applyRound(round: ApplyRequest[]): Promise<[ApplyRequest, Applied][]> {
  try {
    const { results, handedOver } = await applyBatch(round);
    return round.map((request, i) => [request, { ok: true, result: results[i]!, handedOver }]);
  } catch (error) {
    if (round.length === 1) return [[round[0]!, { ok: false, error }]];
  }
  const alone: [ApplyRequest, Applied][] = [];
  for (const request of round) {
    try {
      const { results, handedOver } = await applyBatch([request]);
      alone.push([request, { ok: true, result: results[0]!, handedOver }]);
    } catch (error) {
      alone.push([request, { ok: false, error }]);
    }
  }
  return alone;
}

/**
 * Stores a Stripe event (id = idempotency key) and claims it with a lease, committed BEFORE
 * processing, then applies it from the payload alone in one transaction, with the events claimed
 * meanwhile (`applyTogether`). A duplicate (already processed, or another delivery holding a live
 * lease) answers `duplicate: true` and changes nothing; a processing error marks the event failed
 * and rethrows. Used by the webhook, the reconciliation sweep and the cockpit's re-process, so
 * every path applies an event the same way. Runs as `systemActor("billing")`: the org is known
 * only once the event is read. The context's clock drives leases and timestamps.
 */
export async function ingestStripeEvent(ctx: SystemContext, verified: Stripe.Event): Promise<WebhookOutcome> {
  const event = toInput(verified);
  const now = ctx.now();

  const claimed = await storeAndClaim({ ctx, event, verified, now });
  if (!claimed) return { received: true, duplicate: true, events: [] };

  let applied = await applyTogether({ ctx, event, now });
  if (!applied.ok && applied.error instanceof StripeCallNotHere) {
    logger.info({ stripeEventId: event.id, type: event.type }, "stripe event needs a Stripe call: applied on its own");
    applied = await applyTogether({ ctx, event, now, alone: true });
  }
  if (applied.ok) {
    const { orgId, log, events = [] } = applied.result;
    logger.info({ stripeEventId: event.id, type: event.type, orgId }, log);
    await applied.handedOver;
    return { received: true, duplicate: false, events };
  }
  const { error } = applied;
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
