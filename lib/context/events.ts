import type { z } from "zod";
import type { BeaconEventName, EVENTS } from "@/inngest/events";

type Catalogued = (typeof EVENTS)[number];
type DataOf<E> = E extends { schema: infer S } ? (S extends z.ZodType ? z.input<S> : never) : never;

/**
 * An event of the catalogue (inngest/events.ts) with the data its schema accepts, and the id that
 * makes sending it twice harmless (the outbox's dedupe key, and Inngest's). `dedupeKey` replaces
 * the outbox's key made from the id, for an event that must be written again under an id of its
 * own (a retried data deletion); it is not sent.
 */
export type BeaconEvent = {
  [N in BeaconEventName]: {
    name: N;
    id: string;
    data: DataOf<Extract<Catalogued, { name: N }>>;
    dedupeKey?: string;
  };
}[BeaconEventName];

/** Writes events in the caller's transaction; they leave for the background functions after it commits. */
export type SendEvents = (...events: BeaconEvent[]) => Promise<void>;
