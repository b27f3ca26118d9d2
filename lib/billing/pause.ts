import { and, desc, eq, inArray, isNotNull, isNull } from "drizzle-orm";
import type Stripe from "stripe";
import { withTenant } from "@/db/tenant";
import { organizations, subscriptions } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { AppError } from "@/lib/http";
import type { BillingActor } from "./checkout";
import { syncOrgPlan } from "./org-plan";
import { stripeClient } from "./stripe-client";
import { applySubscription } from "./stripe-events/subscription-changed";
import type { StripeObject } from "./stripe-events/types";

async function findSubscription(orgId: string, paused: boolean) {
  const [row] = await withTenant(orgId, (tx) =>
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

async function applyAndAudit(
  orgId: string,
  sub: Stripe.Subscription,
  action: string,
  actor: BillingActor,
  requestId: string | null,
  now: Date,
) {
  return withTenant(orgId, async (tx) => {
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
 * (the caller checks `billing:manage`); audited.
 */
export async function pauseSubscription(
  orgId: string,
  actor: BillingActor,
  requestId: string | null = null,
  now = new Date(),
) {
  const current = await findSubscription(orgId, false);
  if (!current) throw new AppError("conflict", "There is no active subscription to pause.");
  const sub = await stripeClient().subscriptions.update(current.id, { pause_collection: { behavior: "void" } });
  return applyAndAudit(orgId, sub, "billing.subscription.paused", actor, requestId, now);
}

export async function resumeSubscription(
  orgId: string,
  actor: BillingActor,
  requestId: string | null = null,
  now = new Date(),
) {
  const current = await findSubscription(orgId, true);
  if (!current) throw new AppError("conflict", "There is no paused subscription to resume.");
  const sub = await stripeClient().subscriptions.update(current.id, { pause_collection: "" });
  return applyAndAudit(orgId, sub, "billing.subscription.resumed", actor, requestId, now);
}
