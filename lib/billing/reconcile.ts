import { and, eq, inArray, isNotNull } from "drizzle-orm";
import { stripeEvents, subscriptions } from "@/db/schema";
import { operatorAuditActor, recordAuditAlone } from "@/lib/audit";
import { asSystem, type BeaconEvent, type OperatorActor, type ServiceContext, type SystemContext } from "@/lib/context";
import { AppError } from "@/lib/http";
import { logger } from "@/lib/observability";
import { stripeClient } from "./stripe-client";
import { syncStripeCustomer } from "./sync";
import { ingestStripeEvent } from "./webhook";

const DAY_MS = 86_400_000;
/** Stripe keeps events for 30 days. */
export const RECONCILE_WINDOW_DAYS = 30;

export interface ReconcileResult {
  listed: number;
  processed: number;
  alreadyStored: number;
  failed: { id: string; error: string }[];
  /** For the background functions: already in the outbox (see ingestStripeEvent). */
  events: BeaconEvent[];
}

/**
 * The nightly safety net for lost webhooks: lists events Stripe failed to deliver in the last
 * 30 days and ingests any not yet processed here, through the same path as the webhook.
 */
export async function reconcileStripeEvents(ctx: SystemContext): Promise<ReconcileResult> {
  const now = ctx.now();
  const since = Math.floor((now.getTime() - RECONCILE_WINDOW_DAYS * DAY_MS) / 1000);
  const events = await stripeClient()
    .events.list({ delivery_success: false, created: { gte: since }, limit: 100 })
    .autoPagingToArray({ limit: 10_000 });
  const result: ReconcileResult = { listed: events.length, processed: 0, alreadyStored: 0, failed: [], events: [] };
  // Oldest first, so state converges the same way live delivery would.
  for (const event of [...events].sort((a, b) => a.created - b.created)) {
    try {
      const outcome = await ingestStripeEvent(ctx, event);
      if (outcome.duplicate) result.alreadyStored++;
      else result.processed++;
      result.events.push(...outcome.events);
    } catch (error) {
      result.failed.push({ id: event.id, error: error instanceof Error ? error.message : String(error) });
    }
  }
  logger.info(
    {
      listed: result.listed,
      processed: result.processed,
      alreadyStored: result.alreadyStored,
      failed: result.failed.length,
    },
    "stripe events reconciled",
  );
  return result;
}

/** Nightly convergence of every org that Stripe may still be billing. */
export async function syncPayingCustomers(ctx: SystemContext) {
  const rows = await ctx.transaction((tx) =>
    tx
      .selectDistinct({ customerId: subscriptions.stripeCustomerId })
      .from(subscriptions)
      .where(
        and(
          isNotNull(subscriptions.stripeCustomerId),
          inArray(subscriptions.status, ["trialing", "active", "past_due", "unpaid", "paused", "incomplete"]),
        ),
      ),
  );
  const failed: { customerId: string; error: string }[] = [];
  let synced = 0;
  for (const { customerId } of rows) {
    if (!customerId) continue;
    try {
      await syncStripeCustomer(ctx, customerId);
      synced++;
    } catch (error) {
      failed.push({ customerId, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return { customers: rows.length, synced, failed };
}

/**
 * Operator re-processing of a stored event that failed (or never finished): the payload is
 * fetched from Stripe again (only metadata is stored here) and ingested like a delivery, as the
 * system for billing in the operator's request.
 */
export async function reprocessStripeEvent(operator: ServiceContext<OperatorActor>, eventId: string) {
  const ctx = asSystem(operator, "billing");
  const { requestId } = ctx;
  const now = ctx.now();
  const [stored] = await ctx.transaction((tx) =>
    tx
      .select({ status: stripeEvents.status, orgId: stripeEvents.orgId })
      .from(stripeEvents)
      .where(eq(stripeEvents.id, eventId)),
  );
  if (!stored) throw new AppError("not_found", "Stripe event not found.");
  if (stored.status === "processed") throw new AppError("conflict", "This event was already processed.");
  const event = await stripeClient().events.retrieve(eventId);
  let error: string | null = null;
  let events: BeaconEvent[] = [];
  try {
    events = (await ingestStripeEvent(ctx, event)).events;
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  const [after] = await ctx.transaction((tx) =>
    tx
      .select({ status: stripeEvents.status, orgId: stripeEvents.orgId })
      .from(stripeEvents)
      .where(eq(stripeEvents.id, eventId)),
  );
  await recordAuditAlone(
    {
      actor: operatorAuditActor(operator.actor),
      orgId: after?.orgId ?? stored.orgId,
      action: "ops.stripe_event.reprocessed",
      target: { type: "stripe_event", id: eventId },
      before: { status: stored.status },
      after: { status: after?.status ?? null, error },
      requestId,
      at: now,
    },
    "billing",
  );
  return { status: after?.status ?? "failed", error, events };
}
