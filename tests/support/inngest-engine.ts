import { InngestTestEngine } from "@inngest/test";
import type { InngestFunction } from "inngest";

/**
 * One request of a run through @inngest/test, as Inngest would make it: the engine invents a
 * run id per request, so the run id (and attempt) Inngest would send are pinned here — the
 * run-tracking middleware keys runs by them. A NEW engine every call (engines memoise steps).
 */
export function executeRequest(
  fn: InngestFunction.Any,
  event: { name: string; data?: Record<string, unknown>; id?: string; ts?: number },
  options: { runId: string; attempt?: number; maxAttempts?: number; memoized?: Record<string, unknown> },
) {
  const engine = new InngestTestEngine({
    function: fn,
    events: [{ data: {}, ...event } as never],
    // Results of steps that finished in earlier requests, as Inngest would send them back.
    steps: Object.entries(options.memoized ?? {}).map(([id, data]) => ({ id, handler: () => data })),
    transformCtx: (ctx) => ({
      ...ctx,
      runId: options.runId,
      attempt: options.attempt ?? 0,
      maxAttempts: options.maxAttempts ?? 4,
    }),
  });
  return engine.execute();
}
