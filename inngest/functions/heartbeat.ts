import { cron } from "inngest";
import { inngest } from "@/inngest/client";
import { FUNCTION_DEFAULTS } from "./defaults";

/**
 * Proves the scheduler reaches us: its success (recorded by the run-tracking middleware like any
 * scheduled function's) keeps the `heartbeat` heartbeat fresh for /api/readyz.
 */
export const heartbeat = inngest.createFunction(
  {
    ...FUNCTION_DEFAULTS,
    id: "heartbeat",
    name: "Heartbeat",
    triggers: [cron("* * * * *")],
    concurrency: { limit: 1 },
  },
  async ({ step }) => step.run("beat", () => ({ at: new Date().toISOString() })),
);
