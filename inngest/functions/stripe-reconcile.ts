import { cron } from "inngest";
import { inngest } from "@/inngest/client";
import { reconcileStripeEvents, syncPayingCustomers } from "@/lib/billing/reconcile";
import { stripeConfigured } from "@/lib/billing/stripe-client";
import { FUNCTION_DEFAULTS } from "./defaults";

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
  async ({ step }) => {
    if (!stripeConfigured()) return { skipped: "STRIPE_SECRET_KEY is not configured" };
    const events = await step.run("replay-undelivered-events", async () => {
      const result = await reconcileStripeEvents(new Date());
      return {
        listed: result.listed,
        processed: result.processed,
        alreadyStored: result.alreadyStored,
        failed: result.failed,
        events: result.events,
      };
    });
    if (events.events.length > 0)
      await step.sendEvent(
        "send-billing-events",
        events.events.map((e) => ({ name: e.name, id: e.id, data: e.data })),
      );
    const customers = await step.run("sync-paying-customers", () => syncPayingCustomers(new Date()));
    const { events: _sent, ...summary } = events;
    return { events: summary, customers };
  },
);
