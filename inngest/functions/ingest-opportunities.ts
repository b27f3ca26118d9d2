import { cron, NonRetriableError } from "inngest";
import { inngest, opportunitiesIngestRequested } from "@/inngest/client";
import { env, readEnv, type Env } from "@/lib/env";
import { flagEnabled } from "@/lib/flags";
import { ingestFromSam, releaseSnapshotBatch, SamApiError, SNAPSHOT_SOURCE } from "@/lib/opportunities";
import { FUNCTION_DEFAULTS } from "./defaults";

// SAM.gov answers these for a bad key or request: retrying cannot help.
const PERMANENT_SAM_STATUSES = new Set([400, 401, 403, 404]);

/**
 * Live ingestion asks SAM.gov hourly. The bundled snapshot (no SAM_API_KEY) is released every two
 * minutes, so a fresh install shows new notices, and the alerts they trigger, within minutes;
 * once it is all out each run is a quick recorded no-op.
 */
export function ingestionCron(e: Env = readEnv()) {
  return e.SAM_API_KEY ? "0 * * * *" : "*/2 * * * *";
}

/**
 * SAM.gov ingestion on schedule and on request. Without SAM_API_KEY each run releases the next
 * batch of the bundled snapshot instead (until it is exhausted), so alerts fire on notices
 * nobody has seen yet; with the `opportunity_ingestion` flag off it is a recorded no-op. One run
 * at a time: SAM.gov ingestion resumes from a shared cursor. New notices are announced with
 * `opportunities/ingested` by lib, through the outbox, in the transaction that stores them.
 */
export const ingestOpportunities = inngest.createFunction(
  {
    ...FUNCTION_DEFAULTS,
    id: "ingest-opportunities",
    name: "Opportunity ingestion",
    triggers: [cron(ingestionCron()), opportunitiesIngestRequested],
    concurrency: { limit: 1 },
  },
  async ({ event, step }) => {
    const requested =
      event.name === opportunitiesIngestRequested.name
        ? (event.data as { posted_from?: string; posted_to?: string })
        : {};
    const run = env().SAM_API_KEY
      ? await step.run("ingest-from-sam", async () => {
          const config = env();
          if (!(await flagEnabled("opportunity_ingestion")))
            return { noop: "opportunity_ingestion flag is off" as string };
          try {
            const result = await ingestFromSam({
              baseUrl: config.SAM_API_BASE_URL,
              apiKey: config.SAM_API_KEY!,
              postedFrom: requested.posted_from,
              postedTo: requested.posted_to,
            });
            const summary = {
              inserted: result.inserted,
              updated: result.updated,
              skipped: result.skipped,
              posted_from: result.postedFrom,
              posted_to: result.postedTo,
            };
            return { summary };
          } catch (error) {
            if (error instanceof SamApiError && error.status !== null && PERMANENT_SAM_STATUSES.has(error.status)) {
              throw new NonRetriableError(error.message, { cause: error });
            }
            throw error;
          }
        })
      : await step.run("release-snapshot-batch", async () => {
          if (!(await flagEnabled("opportunity_ingestion")))
            return { noop: "opportunity_ingestion flag is off" as string };
          const batch = await releaseSnapshotBatch();
          if (!batch) return { noop: "SAM_API_KEY is not set and the bundled snapshot is fully released" as string };
          const summary = {
            source: SNAPSHOT_SOURCE,
            inserted: batch.inserted,
            updated: batch.updated,
            amended: batch.amended,
            released: batch.released,
            remaining: batch.remaining,
          };
          return { summary };
        });
    // Each stored batch announced itself with `opportunities/ingested`, written in its transaction.
    if ("noop" in run) return run;
    return run.summary;
  },
);
