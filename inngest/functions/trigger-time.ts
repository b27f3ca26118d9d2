/**
 * The instant a run was triggered: the cron tick's or the event's timestamp (`event.ts`, set by
 * Inngest when it receives the event). Every request and every replay of the run reads the same
 * value, so a scheduled mailer's windows, dedupe keys and e-mails do not depend on when a retry
 * happens to run, as they would with a clock read inside a step.
 */
export async function triggeredAt(
  event: { ts?: number },
  step: { run: (id: string, fn: () => string) => Promise<string> },
): Promise<Date> {
  if (typeof event.ts === "number" && Number.isFinite(event.ts)) return new Date(event.ts);
  // An event without a timestamp (none Inngest sends): the first request's clock, memoised as a step.
  return new Date(await step.run("read-trigger-time", () => new Date().toISOString()));
}
