import { and, desc, eq, inArray, isNotNull, isNull } from "drizzle-orm";
import type Stripe from "stripe";
import { organizations, subscriptions } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { AppError } from "@/lib/http";
import { assertCan } from "@/lib/orgs";
import { billingActor, type BillingContext } from "./checkout";
import { syncOrgPlan } from "./org-plan";
import { stripeClient } from "./stripe-client";
import { applySubscription } from "./stripe-events/subscription-changed";
import type { StripeObject } from "./stripe-events/types";

async function findSubscription(ctx: BillingContext, paused: boolean) {
  const { orgId } = ctx;
  const [row] = await ctx.transaction((tx) =>
    tx
      .select({ id: subscriptions.stripeSubscriptionId, status: subscriptions.status, plan: subscriptions.plan })
      .from(subscriptions)
      .where(
        and(
          eq(subscriptions.orgId, orgId),
          inArray(subscriptions.status, ["trialing", "active", "past_due"]),
          paused ? isNotNull(subscriptions.pauseCollection) : isNull(subscriptions.pauseCollection),
        ),
      )
      .orderBy(desc(subscriptions.updatedAt))
      .limit(1),
  );
  return row ?? null;
}

async function applyAndAudit(ctx: BillingContext, sub: Stripe.Subscription, action: string, now: Date) {
  const { orgId, requestId } = ctx;
  const actor = await billingActor(ctx);
  return ctx.transaction(async (tx) => {
    const [before] = await tx
      .select({ plan: organizations.plan })
      .from(organizations)
      .where(eq(organizations.id, orgId));
    await applySubscription(tx, sub as unknown as StripeObject, now, now);
    const plan = await syncOrgPlan(tx, orgId, now);
    await recordAudit(tx, {
      actor,
      orgId,
      action,
      target: { type: "subscription", id: sub.id },
      before: { plan: before?.plan ?? null },
      after: { plan, status: sub.status, pause_collection: sub.pause_collection?.behavior ?? null },
      requestId,
      at: now,
    });
    return { plan };
  });
}

/**
 * Pauses payment collection (Stripe `pause_collection: void`): no invoices are charged and the
 * org keeps read access but loses paid features until it resumes. Owner, admin or billing only
 * (`billing:manage`); audited.
 */
export async function pauseSubscription(ctx: BillingContext) {
  assertCan(ctx.actor, "billing:manage");
  const now = ctx.now();
  const current = await findSubscription(ctx, false);
  if (!current) throw new AppError("conflict", "There is no active subscription to pause.");
  const sub = await stripeClient().subscriptions.update(current.id, { pause_collection: { behavior: "void" } });
  return applyAndAudit(ctx, sub, "billing.subscription.paused", now);
}

export async function resumeSubscription(ctx: BillingContext) {
  assertCan(ctx.actor, "billing:manage");
  const now = ctx.now();
  const current = await findSubscription(ctx, true);
  if (!current) throw new AppError("conflict", "There is no paused subscription to resume.");
  const sub = await stripeClient().subscriptions.update(current.id, { pause_collection: "" });
  return applyAndAudit(ctx, sub, "billing.subscription.resumed", now);
}
