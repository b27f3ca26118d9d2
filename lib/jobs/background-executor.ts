/**
 * Which executor runs this process's background functions, for the cockpit (overview and
 * configuration): Inngest (Cloud, self-hosted or a dev server) or the in-process development
 * executor. Set once at server start (inngest/background.ts); on globalThis because Next bundles
 * instrumentation and pages separately, each with its own copy of this module.
 */
export type BackgroundExecutorKind = "in-process" | "inngest-dev-server" | "inngest";

export interface BackgroundExecutorStatus {
  kind: BackgroundExecutorKind;
  /** e.g. "in-process (development)". */
  label: string;
  /** One sentence on what that means (where runs come from). */
  detail: string;
}

const globalForStatus = globalThis as unknown as { __beaconBackgroundExecutor?: BackgroundExecutorStatus };

const INNGEST: BackgroundExecutorStatus = {
  kind: "inngest",
  label: "Inngest",
  detail: "Inngest (Cloud or self-hosted) calls /api/inngest to run scheduled and event-triggered functions.",
};

export function recordBackgroundExecutor(status: BackgroundExecutorStatus) {
  globalForStatus.__beaconBackgroundExecutor = status;
}

export function backgroundExecutor(): BackgroundExecutorStatus {
  return globalForStatus.__beaconBackgroundExecutor ?? INNGEST;
}
