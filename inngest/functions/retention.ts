import { cron } from "inngest";
import { inngest } from "@/inngest/client";
import { runRetention } from "@/lib/retention";
import { processPendingDataRequests } from "@/lib/retention";
import { FUNCTION_DEFAULTS } from "./defaults";
import { systemRunContext } from "./system-run";

/**
 * Deletes what is past its RETENTION_*_DAYS, in bounded batches; an unfinished run continues
 * tomorrow. Then processes data requests still pending (exports; deletions whose event was lost).
 */
export const retention = inngest.createFunction(
  {
    ...FUNCTION_DEFAULTS,
    id: "retention",
    name: "Retention cleanup",
    triggers: [cron("15 4 * * *")],
    concurrency: { limit: 1 },
  },
  async ({ step, runId }) => {
    const deleted = await step.run("delete-expired-rows", () => runRetention({ now: new Date() }));
    const dataRequests = await step.run("process-data-requests", () =>
      processPendingDataRequests(systemRunContext("retention", { runId })),
    );
    return { ...deleted, dataRequests };
  },
);
