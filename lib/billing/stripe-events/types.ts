import type { Tx } from "@/db/client";
import type { BeaconEvent } from "@/lib/context";

/** A verified event as far as handlers need it. Payloads span API versions, so objects stay loose. */
export interface StripeEventInput {
  id: string;
  type: string;
  /** Stripe's `created`, as a Date. */
  created: Date;
  object: StripeObject;
}

export type StripeObject = Record<string, unknown>;

export interface HandlerResult {
  /** The org the event concerned, when known. */
  orgId: string | null;
  /** One line for the log and the operator view. */
  log: string;
  /**
   * For the background functions, sent with the event's transaction and handed over after it
   * commits. Their ids are deterministic, so a re-delivery or re-processing never starts a second run.
   */
  events?: BeaconEvent[];
  /**
   * The event may change `orgId`'s plan: the transaction syncs it once after every event it
   * applies (one set of statements for all its orgs, `syncOrgPlans`), and the log line then
   * ends with the plan.
   */
  syncsPlan?: true;
}

/**
 * Applies events of its types in the caller's transaction, at most one per customer, in the
 * order given, and answers one result per event in that order. A handler that can apply many
 * events in a few set-based statements does (the webhook applies events in batches); the others
 * apply them one at a time (`oneAtATime`).
 */
export type StripeEventHandler = (tx: Tx, events: readonly StripeEventInput[], now: Date) => Promise<HandlerResult[]>;

/** A handler from a function that applies one event. */
export function oneAtATime(
  apply: (tx: Tx, event: StripeEventInput, now: Date) => Promise<HandlerResult>,
): StripeEventHandler {
  return async (tx, events, now) => {
    const results: HandlerResult[] = [];
    for (const event of events) results.push(await apply(tx, event, now));
    return results;
  };
}
