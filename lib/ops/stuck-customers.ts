import { and, eq, gt, inArray, isNull, lt, notInArray, or, sql, type SQL } from "drizzle-orm";
import { businessProfiles, organizations, subscriptions } from "@/db/schema";
import { ENDED_SUBSCRIPTION_STATUSES } from "@/lib/billing";

/**
 * THE definition of a stuck customer, by what the customer has and has not done (not by which
 * wizard buttons they clicked): the ops-alert detector and the customers list's "stuck" tab both
 * read it, so they cannot disagree.
 */
export const STUCK_THRESHOLDS = {
  /** Signed up this long ago and still no business profile. */
  noProfileMs: 24 * 3_600_000,
  /** Longer than this without a profile is an abandoned sign-up, not a stuck one. */
  abandonedMs: 7 * 24 * 3_600_000,
  /** Stripe bills them, Beacon still has them on Free. */
  paidNotActivatedMs: 10 * 60_000,
  paymentFailedMs: 2 * 3_600_000,
} as const;

export const STUCK_CUSTOMER_KINDS = ["onboarding_idle", "paid_not_activated", "payment_failed"] as const;
export type StuckCustomerKind = (typeof STUCK_CUSTOMER_KINDS)[number];

const ago = (now: Date, ms: number) => new Date(now.getTime() - ms);

/** Paying per Stripe: such a customer has activated, whether or not they clicked "Finish setup". */
const payingSubscription = inArray(subscriptions.status, ["trialing", "active", "past_due"]);

/** A subscription row Stripe bills (for 10 minutes now) that gives no plan (checked with the org's plan). */
export function unactivatedSubscription(now: Date): SQL {
  return and(
    inArray(subscriptions.status, ["trialing", "active"]),
    isNull(subscriptions.pauseCollection),
    isNull(subscriptions.paymentFailedAt),
    lt(subscriptions.updatedAt, ago(now, STUCK_THRESHOLDS.paidNotActivatedMs)),
  )!;
}

/** A payment failing for 2 hours on a subscription that has not ended. */
export function failingSubscription(now: Date): SQL {
  return and(
    lt(subscriptions.paymentFailedAt, ago(now, STUCK_THRESHOLDS.paymentFailedMs)),
    or(isNull(subscriptions.status), notInArray(subscriptions.status, [...ENDED_SUBSCRIPTION_STATUSES])),
  )!;
}

const hasSubscription = (where: SQL) =>
  sql`exists (select 1 from ${subscriptions} where ${subscriptions.orgId} = ${organizations.id} and ${where})`;

/** Each stuck condition as a filter on `organizations`. */
export function stuckCustomerConditions(now: Date): Record<StuckCustomerKind, SQL> {
  return {
    onboarding_idle: and(
      lt(organizations.createdAt, ago(now, STUCK_THRESHOLDS.noProfileMs)),
      gt(organizations.createdAt, ago(now, STUCK_THRESHOLDS.abandonedMs)),
      sql`not exists (select 1 from ${businessProfiles} where ${businessProfiles.orgId} = ${organizations.id})`,
      sql`not ${hasSubscription(payingSubscription)}`,
    )!,
    paid_not_activated: and(eq(organizations.plan, "free"), hasSubscription(unactivatedSubscription(now)))!,
    payment_failed: hasSubscription(failingSubscription(now)),
  };
}

/** Stuck in any way: the customers list's "stuck" tab. */
export function isStuckCustomer(now: Date): SQL {
  return or(...Object.values(stuckCustomerConditions(now)))!;
}
