import { inngest, opportunitiesIngested } from "@/inngest/client";
import { runInstantAlerts } from "@/lib/alerts";
import { noticeIdsCreatedBetween } from "@/lib/opportunities";
import { FUNCTION_DEFAULTS } from "./defaults";

/**
 * Instant alerts for the notices an ingestion run stored. Inngest drops a re-delivered event
 * with the same id; runInstantAlerts' claims make a retry send nothing twice.
 */
export const instantAlerts = inngest.createFunction(
  { ...FUNCTION_DEFAULTS, id: "instant-alerts", name: "Instant alerts", triggers: [opportunitiesIngested], concurrency: { limit: 1 } },
  async ({ event, step }) => {
    const noticeIds = await step.run("find-ingested-notices", async (): Promise<string[]> =>
      event.data.notice_ids ?? noticeIdsCreatedBetween(new Date(event.data.since), new Date(event.data.until)),
    );
    return step.run("run-instant-alerts", () => runInstantAlerts(noticeIds, new Date()));
  },
);
