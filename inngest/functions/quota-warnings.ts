import { cron } from "inngest";
import { inngest } from "@/inngest/client";
import { runQuotaWarnings } from "@/lib/metering";
import { FUNCTION_DEFAULTS } from "./defaults";
import { systemRunContext } from "./system-run";

/**
 * Every ten minutes: e-mails the owners and billing members of each org that has used 80 % or
 * all of its month's API allowance, once per threshold per period (lib/metering/quota-warnings.ts).
 */
export const quotaWarnings = inngest.createFunction(
  {
    ...FUNCTION_DEFAULTS,
    id: "quota-warnings",
    name: "API quota warnings",
    triggers: [cron("*/10 * * * *")],
    concurrency: { limit: 1 },
  },
  async ({ step, runId }) => {
    const ctx = systemRunContext("metering", { runId });
    return step.run("warn-near-quota", () => runQuotaWarnings(ctx));
  },
);
