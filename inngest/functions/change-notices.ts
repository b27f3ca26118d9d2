import { cron } from "inngest";
import { inngest } from "@/inngest/client";
import { runChangeNotices } from "@/lib/pipeline";
import { FUNCTION_DEFAULTS } from "./defaults";
import { systemRunContext } from "./system-run";
import { triggeredAt } from "./trigger-time";

/**
 * Hourly: one "what changed" e-mail per recipient for the last closed hour's material changes of
 * the notices their team tracks or their alerts sent, once per window (lib/pipeline/change-notices.ts).
 */
export const changeNotices = inngest.createFunction(
  {
    ...FUNCTION_DEFAULTS,
    id: "change-notices",
    name: "What changed on tracked notices",
    triggers: [cron("10 * * * *")],
    concurrency: { limit: 1 },
  },
  async ({ event, step, runId }) => {
    const ctx = systemRunContext("change-notices", { runId }, await triggeredAt(event, step));
    return step.run("mail-changed-notices", () => runChangeNotices(ctx));
  },
);
