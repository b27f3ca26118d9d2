import { cron } from "inngest";
import { inngest } from "@/inngest/client";
import { resetDueQuotas } from "@/lib/metering";
import { FUNCTION_DEFAULTS } from "./defaults";
import { systemRunContext } from "./system-run";

/** Rolls every org whose period ended into the new month (bounded batches; safe to re-run). */
export const quotaReset = inngest.createFunction(
  {
    ...FUNCTION_DEFAULTS,
    id: "quota-reset",
    name: "Monthly quota reset",
    triggers: [cron("5 0 1 * *")],
    concurrency: { limit: 1 },
  },
  async ({ step, runId }) => {
    const ctx = systemRunContext("metering", { runId });
    return step.run("reset-due-quotas", () => resetDueQuotas(ctx));
  },
);
