import { Inngest } from "inngest";
import { JobRunTracking } from "@/lib/jobs/middleware";

export * from "./events";

/**
 * The Inngest client. Configuration comes from the SDK's standard variables: INNGEST_DEV
 * (dev server; "1" or its URL), INNGEST_BASE_URL (self-hosted / dev server origin),
 * INNGEST_EVENT_KEY (sending events) and INNGEST_SIGNING_KEY (signing /api/inngest).
 * Every run goes through the run-tracking middleware (lib/jobs), which records job_runs.
 */
export const inngest = new Inngest({ id: "beacon", middleware: [JobRunTracking] });
