import { cron } from "inngest";
import { inngest, opportunitiesIngested } from "@/inngest/client";
import { runInstantAlerts } from "@/lib/alerts";
import { flagEnabled } from "@/lib/flags";
import { FUNCTION_DEFAULTS } from "./defaults";
import { systemRunContext } from "./system-run";

/** The sweep's schedule: a lost `opportunities/ingested` is made up for within this. */
export const INSTANT_ALERTS_SWEEP_CRON = "*/5 * * * *";

/**
 * Instant alerts, on each `opportunities/ingested` and on a five-minute sweep. Each run covers
 * every notice stored since each alert's own cursor, not only the event's (lib/alerts
 * runInstantAlerts), so a lost event or a failed run is caught up by the next one. With the
 * `instant_alerts` flag off nothing is matched and no cursor moves: once it is back on, the next
 * run sends what was held back.
 */
export const instantAlerts = inngest.createFunction(
  {
    ...FUNCTION_DEFAULTS,
    id: "instant-alerts",
    name: "Instant alerts",
    triggers: [cron(INSTANT_ALERTS_SWEEP_CRON), opportunitiesIngested],
    concurrency: { limit: 1 },
  },
  async ({ step, runId }) => {
    if (!(await step.run("check-kill-switch", () => flagEnabled("instant_alerts"))))
      return { skipped: "instant_alerts flag is off: no alert cursor moved, the next run after it is on catches up" };
    const ctx = systemRunContext("digest-fanout", { runId });
    return step.run("run-instant-alerts", () => runInstantAlerts(ctx));
  },
);
