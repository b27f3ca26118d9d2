import type { LookupFunction } from "node:net";
import type { ChannelPayload } from "./payloads";

/** The row a channel post came from, as the transport needs it. */
export interface ChannelRow {
  id: string;
  orgId: string | null;
  payload: ChannelPayload;
}

/** Where and what to POST for one channel row, opened at send time. */
export interface ChannelTarget {
  url: string;
  body: string;
  headers: Record<string, string>;
  /** Values a transport error must never echo (the URL, a signing secret): redacted from every error kept. */
  secrets: string[];
  /** Resolves the host for the connection itself (where the post may go is the channel's policy). */
  lookup?: LookupFunction;
}

/** How one attempt at a channel row ended. `permanent`: the row cannot be sent at all (channel gone or off). */
export interface ChannelOutcome {
  row: ChannelRow;
  delivered: boolean;
  permanent: boolean;
  /** Redacted, as the outbox row keeps it. */
  error: string | null;
  at: Date;
}

/**
 * lib/channels owns notification channels; the outbox only sends. It registers this (lib cannot
 * import a capability that imports it back): `resolve` opens the channel's URL and secret for
 * one row (throwing `PermanentDeliveryError` for a channel that is gone or switched off), and
 * `recordOutcome` counts the attempt on the channel (and switches it off after repeated failures).
 */
export interface ChannelTransport {
  resolve(row: ChannelRow, now: Date): Promise<ChannelTarget>;
  recordOutcome(outcome: ChannelOutcome): Promise<void>;
}

// On globalThis: Next.js bundles this module once per route, and lib/channels registers once.
const registry = globalThis as unknown as { __beaconChannelTransport?: ChannelTransport };

/** Called by lib/channels when it loads. A process without it leaves `channel` rows pending for one that has it. */
export function registerChannelTransport(transport: ChannelTransport | undefined) {
  registry.__beaconChannelTransport = transport;
}

export function channelTransport(): ChannelTransport | undefined {
  return registry.__beaconChannelTransport;
}

/** A message that can never be delivered as it is: dead at once, not retried. */
export class PermanentDeliveryError extends Error {
  readonly permanent = true;
}

/**
 * By its marker, not `instanceof`: Next.js bundles lib once per route, and the registered
 * transport may come from another route's copy of this class.
 */
export function isPermanentDeliveryError(error: unknown): boolean {
  return error instanceof Error && (error as { permanent?: unknown }).permanent === true;
}
