import type { OutgoingEvent } from "@/lib/billing/stripe-events/types";
import { logger } from "@/lib/observability";
import { inngest } from "./client";

/**
 * Sends events produced by committed work. A failure is logged, not thrown: the work is done,
 * and the state-based sweeps (e.g. dunning's) pick up anything whose event never arrived.
 * Event ids are deterministic, so Inngest drops a repeat.
 */
export async function sendEventsAfterCommit(events: readonly OutgoingEvent[]) {
  if (events.length === 0) return { sent: 0 };
  try {
    await inngest.send(events.map((e) => ({ name: e.name, id: e.id, data: e.data })));
    return { sent: events.length };
  } catch (error) {
    logger.warn(
      { err: error, events: events.map((e) => `${e.name}:${e.id}`) },
      "could not send events to Inngest; the sweeps will catch up",
    );
    return { sent: 0 };
  }
}
