import { cron } from "inngest";
import { inngest } from "@/inngest/client";
import { runDeadlineReminders } from "@/lib/pipeline";
import { FUNCTION_DEFAULTS } from "./defaults";
import { systemRunContext } from "./system-run";
import { triggeredAt } from "./trigger-time";

/**
 * Hourly: e-mails the assignee of each tracked notice whose response deadline is within the
 * org's reminder lead time, once per deadline value (lib/pipeline/reminders.ts).
 */
export const deadlineReminders = inngest.createFunction(
  {
    ...FUNCTION_DEFAULTS,
    id: "deadline-reminders",
    name: "Pipeline deadline reminders",
    triggers: [cron("40 * * * *")],
    concurrency: { limit: 1 },
  },
  async ({ event, step, runId }) => {
    const ctx = systemRunContext("reminders", { runId }, await triggeredAt(event, step));
    return step.run("remind-due-deadlines", () => runDeadlineReminders(ctx));
  },
);
