import { cron } from "inngest";
import { inngest, outboxEnqueued } from "@/inngest/client";
import { deliverDueOutbox } from "@/lib/outbox";
import { FUNCTION_DEFAULTS } from "./defaults";

/**
 * Delivers due outbox rows (every minute, and when something is enqueued). The app already tries
 * right after each commit; this catches retries, crashes and anything sent while SMTP was down.
 * Leases make overlapping runs safe, so no concurrency limit is needed for correctness.
 */
export const outboxDelivery = inngest.createFunction(
  {
    ...FUNCTION_DEFAULTS,
    id: "outbox-delivery",
    name: "Outbox delivery",
    triggers: [cron("* * * * *"), outboxEnqueued],
    concurrency: { limit: 2 },
  },
  async ({ step, runId }) =>
    step.run("deliver-due", async () => {
      const result = await deliverDueOutbox({ workerId: `inngest:${runId}` });
      return {
        claimed: result.claimed,
        delivered: result.delivered,
        retrying: result.retrying,
        dead: result.dead,
        deferred: result.deferred,
      };
    }),
);
