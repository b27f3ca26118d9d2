import type { EventPayload } from "./payloads";

/** Hands events to the background functions' event API (Inngest); rejects when it cannot. */
export type EventSender = (events: { name: string; id: string; data: EventPayload["data"] }[]) => Promise<unknown>;

// On globalThis: Next.js bundles this module once per route, and the server registers once.
const registry = globalThis as unknown as { __beaconEventSender?: EventSender };

/**
 * The Inngest client registers itself here (inngest/client.ts): lib cannot import it, since the
 * client's middleware imports lib/jobs. A process that never loads the client (none today) leaves
 * its `event` rows pending for one that does.
 */
export function registerEventSender(sender: EventSender | undefined) {
  registry.__beaconEventSender = sender;
}

export function eventSender(): EventSender | undefined {
  return registry.__beaconEventSender;
}
