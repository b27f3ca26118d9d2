import { cron } from "inngest";
import { inngest } from "@/inngest/client";
import { OPS_ALERTS_FUNCTION_ID, runOpsAlertDetector } from "@/lib/ops";
import { FUNCTION_DEFAULTS } from "./defaults";
import { systemRunContext } from "./system-run";

/** Stuck customers and system thresholds (SPEC §8): one open alert per condition and subject. */
export const opsAlerts = inngest.createFunction(
  {
    ...FUNCTION_DEFAULTS,
    id: OPS_ALERTS_FUNCTION_ID,
    name: "Stuck-customer and system alerts",
    triggers: [cron("*/15 * * * *")],
    concurrency: { limit: 1 },
  },
  async ({ step, runId }) =>
    step.run("detect-and-notify", () => runOpsAlertDetector(systemRunContext("ops-cockpit", { runId }))),
);
