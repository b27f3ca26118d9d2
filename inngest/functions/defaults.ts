/**
 * Options every Beacon function starts from (SPEC §6): 3 retries with Inngest's exponential
 * backoff. A function that touches one org adds `concurrency: { key: "event.data.org_id", limit: 1 }`;
 * one whose event must not run twice adds `idempotency: "event.data.<natural key>"` (or is sent
 * with a deterministic event id, which Inngest de-duplicates). Permanent failures throw
 * `NonRetriableError`.
 */
export const FUNCTION_DEFAULTS = { retries: 3 } as const;
