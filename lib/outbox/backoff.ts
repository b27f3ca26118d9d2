/** First retry waits up to this long; each further failure doubles the ceiling. */
export const OUTBOX_BACKOFF_BASE_MS = 30_000;
/** No retry waits longer than this, however many attempts failed. */
export const OUTBOX_BACKOFF_CAP_MS = 60 * 60_000;
/** A floor so that an unlucky draw never retries in a hot loop. */
export const OUTBOX_BACKOFF_MIN_MS = 1_000;

/**
 * Exponential backoff with full jitter: a uniform draw in [0, min(cap, base · 2^(attempts−1))],
 * so many rows failing together (SMTP down) spread their retries instead of stampeding back.
 * `random` is injectable so tests can take the ceiling.
 */
export function outboxBackoffMs(attempts: number, random: () => number = Math.random): number {
  const exponent = Math.max(0, attempts - 1);
  const ceiling = Math.min(OUTBOX_BACKOFF_CAP_MS, OUTBOX_BACKOFF_BASE_MS * 2 ** Math.min(exponent, 30));
  return Math.max(OUTBOX_BACKOFF_MIN_MS, Math.floor(random() * ceiling));
}
