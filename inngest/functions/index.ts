import { cronIntervalMs } from "@/lib/jobs";
import type { InngestFunction } from "inngest";
import { alertDigests } from "./alert-digests";
import { changeNotices } from "./change-notices";
import { dataRequestsFunction } from "./data-requests";
import { deadlineReminders } from "./deadline-reminders";
import { dunning } from "./dunning";
import { dunningSweep } from "./dunning-sweep";
import { heartbeat } from "./heartbeat";
import { ingestOpportunities } from "./ingest-opportunities";
import { instantAlerts } from "./instant-alerts";
import { opsAlerts } from "./ops-alerts";
import { outboxDelivery } from "./outbox-delivery";
import { quotaReset } from "./quota-reset";
import { quotaWarnings } from "./quota-warnings";
import { retention } from "./retention";
import { stripeReconcile } from "./stripe-reconcile";

/**
 * THE registry of background functions: /api/inngest serves these, `jobs:run` runs them, the
 * cockpit lists them. To add one: create `inngest/functions/<name>.ts` exporting
 * `inngest.createFunction({ ...FUNCTION_DEFAULTS, id, name, triggers, … }, handler)` and add it
 * to this array. Everything else (run tracking, heartbeats, CLI, re-runs) follows from it.
 */
export const FUNCTIONS: readonly InngestFunction.Any[] = [
  heartbeat,
  alertDigests,
  instantAlerts,
  ingestOpportunities,
  outboxDelivery,
  dunning,
  dunningSweep,
  quotaReset,
  quotaWarnings,
  stripeReconcile,
  retention,
  opsAlerts,
  dataRequestsFunction,
  deadlineReminders,
  changeNotices,
];

export interface FunctionDescription {
  id: string;
  name: string;
  /** e.g. "cron 0 * * * * + event opportunities/ingest.requested". */
  trigger: string;
  cron: string | null;
  events: string[];
  scheduled: boolean;
}

export function describeFunction(fn: InngestFunction.Any): FunctionDescription {
  const triggers = (fn.opts.triggers ?? []) as readonly (
    { cron?: string; event?: string | { name: string } } | undefined
  )[];
  const crons = triggers.flatMap((t) => (t && typeof t.cron === "string" ? [t.cron] : []));
  const events = triggers.flatMap((t) =>
    t && t.event !== undefined ? [typeof t.event === "string" ? t.event : t.event.name] : [],
  );
  return {
    id: fn.opts.id,
    name: fn.opts.name ?? fn.opts.id,
    trigger: [...crons.map((c) => `cron ${c}`), ...events.map((e) => `event ${e}`)].join(" + "),
    cron: crons[0] ?? null,
    events,
    scheduled: crons.length > 0,
  };
}

export function describeFunctions(): FunctionDescription[] {
  return FUNCTIONS.map(describeFunction);
}

/** Every scheduled function with its interval, as heartbeat health registers them at boot. */
export function scheduledFunctions(): { functionId: string; expectedEveryMs: number }[] {
  return describeFunctions().flatMap((f) =>
    f.cron ? [{ functionId: f.id, expectedEveryMs: cronIntervalMs(f.cron) }] : [],
  );
}

export function findFunction(id: string): InngestFunction.Any | undefined {
  return FUNCTIONS.find((fn) => fn.opts.id === id);
}
