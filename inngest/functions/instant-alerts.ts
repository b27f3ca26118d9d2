import { inngest, opportunitiesIngested } from "@/inngest/client";
import { runInstantAlerts } from "@/lib/alerts";
import { flagEnabled } from "@/lib/flags";
import { noticeIdsCreatedBetween } from "@/lib/opportunities";
import { FUNCTION_DEFAULTS } from "./defaults";

/**
 * Instant alerts for the notices an ingestion run stored (unless the `instant_alerts` flag is off). Inngest drops a re-delivered event
 * with the same id; runInstantAlerts' claims make a retry send nothing twice.
 */
export const instantAlerts = inngest.createFunction(
  {
    ...FUNCTION_DEFAULTS,
    id: "instant-alerts",
    name: "Instant alerts",
    triggers: [opportunitiesIngested],
    concurrency: { limit: 1 },
  },
  async ({ event, step }) => {
    // Kill switch: the digests still carry these notices, so skipping loses nothing for good.
    if (!(await step.run("check-kill-switch", () => flagEnabled("instant_alerts"))))
      return { skipped: "instant_alerts flag is off" };
    const noticeIds = await step.run(
      "find-ingested-notices",
      async (): Promise<string[]> =>
        event.data.notice_ids ?? noticeIdsCreatedBetween(new Date(event.data.since), new Date(event.data.until)),
    );
    return step.run("run-instant-alerts", () => runInstantAlerts(noticeIds, new Date()));
  },
);
