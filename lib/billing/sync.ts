import { and, eq, isNull } from "drizzle-orm";
import type Stripe from "stripe";
import { subscriptions } from "@/db/schema";
import type { SystemContext } from "@/lib/context";
import { logger } from "@/lib/observability";
import { syncOrgPlan } from "./org-plan";
import type { PlanId } from "@/lib/plans";
import { stripeClient } from "./stripe-client";
import { applySubscription } from "./stripe-events/subscription-changed";
import { existingOrg, linkCustomer, metadataOrgId, orgForCustomer } from "./stripe-events/fields";
import type { StripeObject } from "./stripe-events/types";

export interface SyncResult {
  customerId: string;
  orgId: string | null;
  plan: PlanId | null;
  subscriptions: number;
}

/**
 * Converges the database to Stripe's current truth for one customer: every subscription Stripe
 * lists (any status) is applied as of the fetch time, so webhooks older than this view are
 * ignored afterwards and newer ones still apply. Idempotent: running it again changes nothing.
 * Runs on the Checkout success redirect, from the cockpit, and nightly for paying orgs, each time
 * as the system for billing (`asSystem(ctx, "billing")` from a page or an operator's command).
 */
export async function syncStripeCustomer(ctx: SystemContext, customerId: string): Promise<SyncResult> {
  const now = ctx.now();
  const stripe = stripeClient();
  const listed: Stripe.Subscription[] = await stripe.subscriptions
    .list({ customer: customerId, status: "all", limit: 100 })
    .autoPagingToArray({ limit: 1000 });
  let orgId = await ctx.transaction((tx) => orgForCustomer(tx, customerId));
  if (!orgId) {
    const customer = await stripe.customers.retrieve(customerId);
    if (!("deleted" in customer && customer.deleted))
      orgId = await ctx.transaction((tx) => existingOrg(tx, metadataOrgId(customer as unknown as StripeObject)));
  }

  const result = await ctx.transaction(async (tx) => {
    if (orgId) await linkCustomer(tx, orgId, customerId, now);
    let linkedOrg = orgId;
    for (const sub of listed) {
      const applied = await applySubscription(tx, sub as unknown as StripeObject, now, now, sub.status === "canceled");
      linkedOrg ??= applied.orgId;
    }
    if (!linkedOrg) return { orgId: null, plan: null };
    await tx
      .update(subscriptions)
      .set({ orgId: linkedOrg, updatedAt: now })
      .where(and(eq(subscriptions.stripeCustomerId, customerId), isNull(subscriptions.orgId)));
    return { orgId: linkedOrg, plan: await syncOrgPlan(tx, linkedOrg, now) };
  });
  logger.info(
    { customerId, orgId: result.orgId, plan: result.plan, subscriptions: listed.length },
    "stripe customer synced",
  );
  return { customerId, ...result, subscriptions: listed.length };
}
