import { and, desc, eq, isNotNull } from "drizzle-orm";
import { billingCustomers, subscriptions } from "@/db/schema";
import type { OrgContext } from "@/lib/context";
import { usageReport } from "@/lib/metering";
import { trialAvailable } from "./checkout";
import { effectiveStatus, planById, type PlanId } from "@/lib/plans";
import { stripeConfigured } from "./stripe-client";

export interface BillingOverview {
  plan: PlanId;
  stripeConfigured: boolean;
  hasBillingAccount: boolean;
  trialAvailable: boolean;
  subscription: {
    id: string;
    plan: PlanId | null;
    /** Stripe's status, or `paused` while collection is paused. */
    status: string;
    currentPeriodEnd: Date | null;
    cancelAtPeriodEnd: boolean;
    trialEnd: Date | null;
    pauseResumesAt: Date | null;
    paymentFailedAt: Date | null;
  } | null;
  usage: { quotaMonthly: number; quotaRemaining: number; creditsRemaining: number; used: number; periodEnd: Date };
}

/** What Settings → Billing shows: plan, subscription state and this period's usage. */
export async function billingOverview(ctx: OrgContext): Promise<BillingOverview> {
  const { orgId } = ctx;
  const [customer] = await ctx.transaction((tx) =>
    tx
      .select({ id: billingCustomers.stripeCustomerId })
      .from(billingCustomers)
      .where(eq(billingCustomers.orgId, orgId)),
  );
  // The subscription Stripe touched last is the one the customer is thinking about.
  const [sub] = await ctx.transaction((tx) =>
    tx
      .select()
      .from(subscriptions)
      .where(and(eq(subscriptions.orgId, orgId), isNotNull(subscriptions.status)))
      .orderBy(desc(subscriptions.stripeEventCreated))
      .limit(1),
  );
  const usage = await usageReport(ctx);
  const plan = planById(usage.plan).id;
  return {
    plan,
    stripeConfigured: stripeConfigured(),
    hasBillingAccount: Boolean(customer),
    trialAvailable: await trialAvailable(ctx),
    subscription: sub
      ? {
          id: sub.stripeSubscriptionId,
          plan: sub.plan,
          status: effectiveStatus(sub.status, sub.pauseCollection) ?? "unknown",
          currentPeriodEnd: sub.currentPeriodEnd,
          cancelAtPeriodEnd: sub.cancelAtPeriodEnd,
          trialEnd: sub.trialEnd,
          pauseResumesAt: sub.pauseResumesAt,
          paymentFailedAt: sub.paymentFailedAt,
        }
      : null,
    usage: {
      quotaMonthly: usage.quota_monthly,
      quotaRemaining: usage.quota_remaining,
      creditsRemaining: usage.credits_remaining,
      used: Math.max(usage.quota_monthly - usage.quota_remaining, 0),
      periodEnd: new Date(usage.period_end),
    },
  };
}
