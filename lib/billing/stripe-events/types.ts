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

export type StripeEventHandler = (tx: Tx, event: StripeEventInput, now: Date) => Promise<HandlerResult>;
