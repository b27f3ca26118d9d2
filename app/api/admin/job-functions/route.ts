import { describeFunctions, FUNCTIONS } from "@/inngest/functions";
import { assertOperatorCan, operatorAuth, operatorContext } from "@/lib/auth";
import { route } from "@/lib/http";
import { functionIsCancellable, pausedFunctions } from "@/lib/jobs";

export const dynamic = "force-dynamic";

/** The registered functions: trigger, schedule, whether paused (and since when) and whether runs can be cancelled. */
export const GET = route(
  async ({ auth, requestId }) => {
    assertOperatorCan(auth, "ops:read");
    const paused = await pausedFunctions(operatorContext(auth.viewer, { requestId }));
    const data = describeFunctions().map((f, i) => ({
      id: f.id,
      name: f.name,
      trigger: f.trigger,
      cron: f.cron,
      scheduled: f.scheduled,
      paused_at: paused.get(f.id)?.toISOString() ?? null,
      cancellable: functionIsCancellable(FUNCTIONS[i]!),
    }));
    return { body: { data } };
  },
  { authenticate: operatorAuth },
);
