import { cron, NonRetriableError } from "inngest";
import { inngest, opportunitiesIngestRequested } from "@/inngest/client";
import { env } from "@/lib/env";
import { flagEnabled } from "@/lib/flags";
import { ingestFromSam, SamApiError } from "@/lib/opportunities";
import { FUNCTION_DEFAULTS } from "./defaults";

// SAM.gov answers these for a bad key or request: retrying cannot help.
const PERMANENT_SAM_STATUSES = new Set([400, 401, 403, 404]);

/**
 * Hourly (and on request) SAM.gov ingestion. Without SAM_API_KEY, or with the
 * `opportunity_ingestion` flag off, it is a recorded no-op. One run
 * at a time: SAM.gov ingestion resumes from a shared cursor. On success it announces the window
 * of new notices with `opportunities/ingested`, whose id is derived from the run so a retried
 * step cannot announce twice.
 */
export const ingestOpportunities = inngest.createFunction(
  {
    ...FUNCTION_DEFAULTS,
    id: "ingest-opportunities",
    name: "Opportunity ingestion",
    triggers: [cron("0 * * * *"), opportunitiesIngestRequested],
    concurrency: { limit: 1 },
  },
  async ({ event, step, runId }) => {
    const requested = event.name === opportunitiesIngestRequested.name ? (event.data as { posted_from?: string; posted_to?: string }) : {};
    const run = await step.run("ingest-from-sam", async () => {
      const config = env();
      if (!config.SAM_API_KEY) return { noop: "SAM_API_KEY is not set" as string };
      if (!(await flagEnabled("opportunity_ingestion"))) return { noop: "opportunity_ingestion flag is off" as string };
      const since = new Date().toISOString();
      try {
        const result = await ingestFromSam({ baseUrl: config.SAM_API_BASE_URL, apiKey: config.SAM_API_KEY, postedFrom: requested.posted_from, postedTo: requested.posted_to });
        return { ...result, since, until: new Date().toISOString() };
      } catch (error) {
        if (error instanceof SamApiError && error.status !== null && PERMANENT_SAM_STATUSES.has(error.status)) {
          throw new NonRetriableError(error.message, { cause: error });
        }
        throw error;
      }
    });
    if ("noop" in run) return run;
    if (run.inserted > 0) {
      await step.sendEvent("announce-ingested", {
        name: "opportunities/ingested",
        id: `opportunities-ingested-${runId}`,
        data: { source: "sam_api", inserted: run.inserted, updated: run.updated, since: run.since, until: run.until },
      });
    }
    return { inserted: run.inserted, updated: run.updated, skipped: run.skipped, posted_from: run.postedFrom, posted_to: run.postedTo };
  },
);
