import { cron } from "inngest";
import { inngest } from "@/inngest/client";
import { runDunningSweep } from "@/lib/billing";
import { FUNCTION_DEFAULTS } from "./defaults";
import { systemRunContext } from "./system-run";

/** Hourly safety net for dunning runs whose event never arrived (same dedupe keys: nothing twice). */
export const dunningSweep = inngest.createFunction(
  {
    ...FUNCTION_DEFAULTS,
    id: "dunning-sweep",
    name: "Dunning sweep",
    triggers: [cron("20 * * * *")],
    concurrency: { limit: 1 },
  },
  async ({ step, runId }) =>
    step.run("advance-failing-invoices", () => runDunningSweep(systemRunContext("billing", { runId }))),
);
