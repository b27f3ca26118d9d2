import { and, desc, eq } from "drizzle-orm";
import { subscriptions } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { operatorAuditActor, type OperatorActor, type OrgContext } from "@/lib/context";
import { AppError } from "@/lib/http";
import { syncOrgPlan } from "./org-plan";
import { stripeClient } from "./stripe-client";
import { applySubscription } from "./stripe-events/subscription-changed";
import type { StripeObject } from "./stripe-events/types";

/** Stripe refuses trials longer than two years; an operator extension is far shorter. */
export const MAX_TRIAL_EXTENSION_DAYS = 60;

/**
 * Operator fix: moves a trialing subscription's trial end `days` later in Stripe (no proration,
 * so nothing is charged), stores Stripe's answer as the webhook would, and audits old and new
 * trial end in the same transaction. Stripe stays the source of truth: the later webhook for
 * this change is a no-op.
 */
export async function extendTrial(
  ctx: OrgContext<OperatorActor>,
  days: number,
  options: { reason?: string | null } = {},
) {
  const { orgId } = ctx;
  if (!Number.isInteger(days) || days < 1 || days > MAX_TRIAL_EXTENSION_DAYS) {
    throw new AppError("validation_failed", `Extend by 1 to ${MAX_TRIAL_EXTENSION_DAYS} days.`, {
      errors: [{ path: "days", message: `Between 1 and ${MAX_TRIAL_EXTENSION_DAYS}.` }],
    });
  }
  const now = ctx.now();
  const [current] = await ctx.transaction((tx) =>
    tx
      .select({ id: subscriptions.stripeSubscriptionId, trialEnd: subscriptions.trialEnd })
      .from(subscriptions)
      .where(and(eq(subscriptions.orgId, orgId), eq(subscriptions.status, "trialing")))
      .orderBy(desc(subscriptions.updatedAt))
      .limit(1),
  );
  if (!current) throw new AppError("conflict", "This customer has no trialing subscription to extend.");
  const from = current.trialEnd && current.trialEnd > now ? current.trialEnd : now;
  const trialEnd = Math.floor(from.getTime() / 1000) + days * 86_400;
  const sub = await stripeClient().subscriptions.update(
    current.id,
    { trial_end: trialEnd, proration_behavior: "none" },
    { idempotencyKey: `extend-trial:${current.id}:${trialEnd}` },
  );
  return ctx.transaction(async (tx) => {
    await applySubscription(tx, sub as unknown as StripeObject, now, now);
    const plan = await syncOrgPlan(tx, orgId, now);
    const newTrialEnd = sub.trial_end ? new Date(sub.trial_end * 1000) : null;
    await recordAudit(tx, {
      actor: operatorAuditActor(ctx.actor),
      orgId,
      action: "ops.customer.trial_extended",
      target: { type: "subscription", id: sub.id },
      before: { trial_end: current.trialEnd?.toISOString() ?? null },
      after: { trial_end: newTrialEnd?.toISOString() ?? null, days, plan },
      reason: options.reason ?? null,
      requestId: ctx.requestId,
      at: now,
    });
    return { trialEnd: newTrialEnd, plan };
  });
}
