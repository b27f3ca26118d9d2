import { Inngest } from "inngest";
import { JobRunTracking, LocalEventDispatch, activeLocalExecutor } from "@/lib/jobs";
import { registerEventSender } from "@/lib/outbox";

export * from "./events";

/**
 * The Inngest client. Configuration comes from the SDK's standard variables: INNGEST_DEV
 * (dev server; "1" or its URL), INNGEST_BASE_URL (self-hosted / dev server origin),
 * INNGEST_EVENT_KEY (sending events) and INNGEST_SIGNING_KEY (signing /api/inngest).
 * Every run goes through the run-tracking middleware (lib/jobs), which records job_runs. In
 * development without an Inngest server, sent events go to the in-process executor instead
 * (LocalEventDispatch; see inngest/background.ts).
 */
export const inngest = new Inngest({
  id: "beacon",
  middleware: [JobRunTracking, LocalEventDispatch],
  // Read on every send (the SDK keeps this object and resolves its mode lazily): while the
  // in-process executor runs, the client is in dev mode, so sending needs no event key and
  // LocalEventDispatch takes the events; otherwise the SDK's own variables decide.
  get isDev() {
    return activeLocalExecutor() ? true : undefined;
  },
  fetch: (input, init) => unwrappedFetch()(input, init),
});

/**
 * The platform's own fetch, read at each send (tests may replace the global). Next.js wraps the
 * global fetch for its data cache, which events to Inngest never use, and its wrapper's tracing
 * and checks cost about as much CPU as the request itself (README, "Benchmarks").
 */
function unwrappedFetch(): typeof fetch {
  const current = globalThis.fetch as typeof fetch & { _nextOriginalFetch?: typeof fetch };
  return current._nextOriginalFetch ?? current;
}

// Events leave through the outbox (written in the transaction of their change); this is how its
// deliverer reaches Inngest, or the in-process executor that LocalEventDispatch hands them to.
registerEventSender((events) => inngest.send(events));
