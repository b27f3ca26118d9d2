import { inngest, invoicePaid, invoicePaymentFailed } from "@/inngest/client";
import { dunningSchedule, endDunningGrace, sendDunningNotice } from "@/lib/billing";
import { inOrg } from "@/lib/context";
import { rerunnableIdempotency } from "@/lib/jobs";
import { FUNCTION_DEFAULTS } from "./defaults";
import { systemRunContext } from "./system-run";

/**
 * One run per failed invoice: e-mails on day 0, 3 and 7, then the downgrade when the grace period
 * ends. `billing/invoice.paid` for the same invoice cancels the run; every step also re-checks
 * the database, so a payment that arrives between steps stops it too.
 */
export const dunning = inngest.createFunction(
  {
    ...FUNCTION_DEFAULTS,
    id: "dunning",
    name: "Dunning",
    triggers: [invoicePaymentFailed],
    cancelOn: [...FUNCTION_DEFAULTS.cancelOn, { event: invoicePaid, match: "data.invoice_id" }],
    concurrency: { key: "event.data.org_id", limit: 1 },
    idempotency: rerunnableIdempotency("event.data.invoice_id"),
  },
  async ({ event, step, runId }) => {
    const ctx = () => inOrg(systemRunContext("billing", { runId }), event.data.org_id);
    const invoiceId = event.data.invoice_id;
    const occurred =
      typeof event.data.occurred_at === "string" ? new Date(event.data.occurred_at) : new Date(event.ts ?? Date.now());
    const schedule = dunningSchedule(occurred);
    for (const notice of schedule.notices) {
      if (notice.day > 0) await step.sleepUntil(`wait-day-${notice.day}`, notice.at);
      const sent = await step.run(`notice-day-${notice.day}`, () =>
        sendDunningNotice(ctx(), { invoiceId, day: notice.day }),
      );
      if (sent.status === "resolved") return sent;
    }
    await step.sleepUntil("wait-grace-end", schedule.graceEnd);
    return step.run("end-grace", () => endDunningGrace(ctx(), { invoiceId }));
  },
);
