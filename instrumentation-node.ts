import { prepareDatabaseAtBoot } from "./db/boot";
import { openServerDatabase } from "./db/client";
import { startBackgroundFunctions } from "./inngest/background";
import { assertProductionConfig } from "./lib/env";
import { recordSocketPeers, serveBeforeNext } from "./lib/http";
import { observePageRequests } from "./lib/observability";

// `next build` loads instrumentation too; the build must never open the database.
if (process.env.NEXT_PHASE !== "phase-production-build") {
  // Per-IP rate limits need the real TCP peer in X-Forwarded-For (lib/http/client-ip).
  recordSocketPeers();
  // Page renders get a log line and latency like route handlers (which their route() wrapper times).
  observePageRequests();
  try {
    assertProductionConfig();
    // On the embedded database this serves it to the CLI and scripts (one database for all).
    await openServerDatabase();
    await prepareDatabaseAtBoot();
    // Inngest in production; in development a dev server, or the same functions in-process.
    await startBackgroundFunctions();
    // `next start` only: under `next dev` route files recompile on change, and this copy would not.
    if (process.env.NODE_ENV === "production") {
      const { hotPathsBeforeNext } = await import("./lib/endpoints");
      serveBeforeNext(hotPathsBeforeNext());
    }
  } catch (error) {
    // Fail fast and loudly: a server that is misconfigured or cannot reach its database must
    // not pretend to run. The message lists every problem and never contains secret values.
    console.error(`\n${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  await registerScheduledFunctions();
}

/**
 * Tell heartbeat health which scheduled functions this deployment serves, so one that never runs
 * turns stale two intervals after its first registration. A failure (say migrations not applied
 * yet, in production where they run at deploy) is logged, not fatal: readiness reports it.
 */
async function registerScheduledFunctions() {
  try {
    const [{ scheduledFunctions }, { registerSchedules }] = await Promise.all([
      import("./inngest/functions"),
      import("./lib/jobs"),
    ]);
    await registerSchedules(scheduledFunctions());
  } catch (error) {
    const { logger } = await import("./lib/observability");
    logger.error({ err: error }, "could not register scheduled functions for heartbeat health");
  }
}
