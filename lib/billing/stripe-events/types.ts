import type { Tx } from "@/db/client";

/** A verified event as far as handlers need it. Payloads span API versions, so objects stay loose. */
export interface StripeEventInput {
  id: string;
  type: string;
  /** Stripe's `created`, as a Date. */
  created: Date;
  object: StripeObject;
}

export type StripeObject = Record<string, unknown>;

/** An event for the background functions, sent only after the transaction committed. */
export interface OutgoingEvent {
  name: string;
  /** Deterministic, so a re-delivery or re-processing never starts a second run. */
  id: string;
  data: Record<string, unknown>;
}

export interface HandlerResult {
  /** The org the event concerned, when known. */
  orgId: string | null;
  /** One line for the log and the operator view. */
  log: string;
  events?: OutgoingEvent[];
}

export type StripeEventHandler = (tx: Tx, event: StripeEventInput, now: Date) => Promise<HandlerResult>;
