import { sql } from "drizzle-orm";
import { onboardingProgress } from "@/db/schema";
import { TRIAL_DAYS, type PlanId } from "@/lib/plans";
import { validate } from "@/lib/http";
import { assertCan } from "@/lib/orgs";
import { readProgress, requireAlertStep, type OnboardingContext, type OnboardingProgressRow } from "./progress";
import { choosePlanSchema } from "./schemas";

export type PlanChoice =
  | { plan: "free"; completed: true; progress: OnboardingProgressRow }
  | {
      plan: Exclude<PlanId, "free">;
      completed: false;
      /** The caller sends the customer to Stripe Checkout; the plan changes when it completes. */
      checkout: "stripe";
      trialDays: number;
      progress: OnboardingProgressRow;
    };

function completedAtOrNow(now: Date) {
  return sql`coalesce(${onboardingProgress.onboardingCompletedAt}, ${now.toISOString()}::timestamptz)`;
}

/**
 * Records the plan step. Free completes onboarding. A paid plan records the choice only: the
 * org stays on its current plan until Stripe Checkout completes (lib/billing/checkout.ts).
 * Refused (conflict) before the first alert exists.
 */
export async function choosePlan(ctx: OnboardingContext, plan: PlanId): Promise<PlanChoice> {
  const { orgId } = ctx;
  assertCan(ctx.actor, "onboarding:manage");
  const { plan: chosen } = validate(choosePlanSchema, { plan });
  const now = ctx.now();
  return ctx.transaction(async (tx) => {
    requireAlertStep(await readProgress(tx, orgId, { forUpdate: true }));
    const free = chosen === "free";
    const [progress] = await tx
      .update(onboardingProgress)
      .set({
        planChosenAt: now,
        lastActivityAt: now,
        ...(free ? { onboardingCompletedAt: completedAtOrNow(now) } : {}),
      })
      .where(sql`${onboardingProgress.orgId} = ${orgId}`)
      .returning();
    if (free) return { plan: "free", completed: true, progress: progress! };
    return { plan: chosen, completed: false, checkout: "stripe", trialDays: TRIAL_DAYS, progress: progress! };
  });
}

/** Marks onboarding complete (kept from the first time); refused (conflict) before the first alert. */
export async function completeOnboarding(ctx: OnboardingContext): Promise<OnboardingProgressRow> {
  const { orgId } = ctx;
  assertCan(ctx.actor, "onboarding:manage");
  const now = ctx.now();
  return ctx.transaction(async (tx) => {
    requireAlertStep(await readProgress(tx, orgId, { forUpdate: true }));
    const [progress] = await tx
      .update(onboardingProgress)
      .set({ onboardingCompletedAt: completedAtOrNow(now), lastActivityAt: now })
      .where(sql`${onboardingProgress.orgId} = ${orgId}`)
      .returning();
    return progress!;
  });
}
