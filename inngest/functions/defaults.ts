import { OPERATOR_CANCEL_ON } from "@/lib/jobs";

/**
 * Options every Beacon function starts from (SPEC §6): 3 retries with Inngest's exponential
 * backoff, and the operator cancel rule (lib/jobs/cancel.ts): the cockpit's "Cancel" sends
 * `ops/job.cancel.requested` with the run's trigger event id. A function that sets its own
 * `cancelOn` spreads `FUNCTION_DEFAULTS.cancelOn` into it, or it cannot be cancelled from the
 * cockpit (which then offers no button). A function that touches one org adds
 * `concurrency: { key: "event.data.org_id", limit: 1 }`; one whose event must not run twice adds
 * `idempotency: rerunnableIdempotency("event.data.<natural key>")` (lib/jobs: a plain key would
 * make Inngest drop operator re-runs, which are then refused) or is sent with a deterministic
 * event id, which Inngest de-duplicates. Permanent failures throw `NonRetriableError`.
 */
export const FUNCTION_DEFAULTS: { retries: 3; cancelOn: { event: string; if: string }[] } = {
  retries: 3,
  cancelOn: [{ ...OPERATOR_CANCEL_ON }],
};
