import { systemActor, systemContext, type SystemActor, type SystemContext } from "@/lib/context";

/**
 * The service context of a background run, the one way a function builds it for a sweep: Beacon
 * acting as the system for `reason`, the run's id as the request id its logs and audit rows name,
 * and the clock. A function that fixes its instant (`triggeredAt`) passes it as `now`, so every
 * retry of the run sees the same windows and dedupe keys; without it, the clock is read when the
 * step asks.
 */
export function systemRunContext(reason: SystemActor["reason"], run: { runId: string }, now?: Date): SystemContext {
  return systemContext(systemActor(reason), { requestId: run.runId, ...(now ? { now: () => now } : {}) });
}
