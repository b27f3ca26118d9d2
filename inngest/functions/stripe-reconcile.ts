import { cron } from "inngest";
import { inngest } from "@/inngest/client";
import { reconcileStripeEvents, syncPayingCustomers, stripeConfigured } from "@/lib/billing";
import { FUNCTION_DEFAULTS } from "./defaults";
import { systemRunContext } from "./system-run";

/**
 * Nightly convergence with Stripe: events Stripe failed to deliver (last 30 days) are ingested,
 * then every org Stripe may still bill is synced. Without Stripe keys it is a recorded no-op.
 */
export const stripeReconcile = inngest.createFunction(
  {
    ...FUNCTION_DEFAULTS,
    id: "stripe-reconcile",
    name: "Stripe reconciliation",
    triggers: [cron("30 3 * * *")],
    concurrency: { limit: 1 },
  },
  async ({ step, runId }) => {
    const ctx = () => systemRunContext("billing", { runId });
    if (!stripeConfigured()) return { skipped: "STRIPE_SECRET_KEY is not configured" };
    const events = await step.run("replay-undelivered-events", async () => {
      const result = await reconcileStripeEvents(ctx());
      return {
        listed: result.listed,
        processed: result.processed,
        alreadyStored: result.alreadyStored,
        failed: result.failed,
        // Written to the outbox with each Stripe event, and sent from there.
        sent: result.events.map((e) => `${e.name}:${e.id}`),
      };
    });
    const customers = await step.run("sync-paying-customers", () => syncPayingCustomers(ctx()));
    return { events, customers };
  },
);
