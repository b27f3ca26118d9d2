import { eventType } from "inngest";
import { z } from "zod";

/**
 * The event catalogue (API.md "Background functions"). Schemas validate when a function is
 * triggered; unknown keys are kept so producers can add fields without breaking consumers.
 */
const uuid = z.string().uuid();
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "YYYY-MM-DD");
const isoTime = z.string().datetime({ offset: true });

export const opportunitiesIngestRequested = eventType("opportunities/ingest.requested", {
  schema: z.looseObject({
    posted_from: isoDate.optional(),
    posted_to: isoDate.optional(),
    requested_by: z.string().optional(),
  }),
});

/** Notices ingested by one run: instant alerts look at those created in [since, until]. */
export const opportunitiesIngested = eventType("opportunities/ingested", {
  schema: z.looseObject({
    source: z.string(),
    inserted: z.number().int().nonnegative(),
    updated: z.number().int().nonnegative(),
    since: isoTime,
    until: isoTime,
    /** Optional explicit list (manual sends); otherwise the window decides. */
    notice_ids: z.array(z.string().min(1).max(100)).max(5_000).optional(),
  }),
});

export const alertsRunRequested = eventType("alerts/run.requested", {
  schema: z.looseObject({ alert_id: uuid.optional(), org_id: uuid.optional() }),
});

export const outboxEnqueued = eventType("outbox/enqueued", {
  schema: z.looseObject({ outbox_id: uuid, org_id: uuid.optional() }),
});

export const invoicePaymentFailed = eventType("billing/invoice.payment_failed", {
  schema: z.looseObject({ org_id: uuid, invoice_id: z.string(), stripe_event_id: z.string().optional() }),
});

export const invoicePaid = eventType("billing/invoice.paid", {
  schema: z.looseObject({ org_id: uuid, invoice_id: z.string(), stripe_event_id: z.string().optional() }),
});

export const jobRerunRequested = eventType("ops/job.rerun.requested", {
  schema: z.looseObject({ job_run_id: uuid, actor_id: z.string().nullable().optional() }),
});

export const dataDeletionRequested = eventType("data/deletion.requested", {
  schema: z.looseObject({ org_id: uuid, requested_by: z.string().nullable().optional() }),
});

export const EVENTS = [
  opportunitiesIngestRequested,
  opportunitiesIngested,
  alertsRunRequested,
  outboxEnqueued,
  invoicePaymentFailed,
  invoicePaid,
  jobRerunRequested,
  dataDeletionRequested,
] as const;

export type BeaconEventName = (typeof EVENTS)[number]["name"];
