import { cron } from "inngest";
import { inngest } from "@/inngest/client";
import { runDueDigests } from "@/lib/alerts";
import { FUNCTION_DEFAULTS } from "./defaults";
import { systemRunContext } from "./system-run";

/** Daily and weekly digests that are due. runDueDigests is safe to retry (claims + unique windows). */
export const alertDigests = inngest.createFunction(
  {
    ...FUNCTION_DEFAULTS,
    id: "alert-digests",
    name: "Alert digests",
    triggers: [cron("*/15 * * * *")],
    concurrency: { limit: 1 },
  },
  async ({ step, runId }) => {
    const ctx = systemRunContext("digest-fanout", { runId });
    return step.run("run-due-digests", () => runDueDigests(ctx));
  },
);
