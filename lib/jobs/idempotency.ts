import type { InngestFunction } from "inngest";

/** Event data field an operator re-run carries: the re-sent event's own id. */
export const RERUN_MARKER = "rerun_id";

const RERUN_BRANCH = `has(event.data.${RERUN_MARKER}) ? event.data.${RERUN_MARKER} : `;

/**
 * The `idempotency` option of a function whose event must start one run only. Inngest starts no
 * run for an event whose key it saw in the last 24 h, so a re-run re-sending the original event
 * would silently do nothing: a re-run's key is its own marker instead, every other event is keyed
 * by `key` (a CEL expression over the event, e.g. "event.data.invoice_id").
 */
export function rerunnableIdempotency(key: string): string {
  return `${RERUN_BRANCH}(${key})`;
}

/** Why Inngest would drop a re-run of `fn` (its idempotency key ignores the marker), or null. */
export function rerunRefusal(fn: InngestFunction.Any): string | null {
  const key = (fn.opts as { idempotency?: string }).idempotency;
  if (!key || key.startsWith(RERUN_BRANCH)) return null;
  return `"${fn.opts.id}" starts one run per idempotency key (${key}) in 24 h: Inngest would drop the re-sent event. Declare its key with rerunnableIdempotency() to make it re-runnable.`;
}
