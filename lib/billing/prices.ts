import { env, type Env } from "@/lib/env";
import { PLANS, type PlanId } from "@/lib/plans";

/** Stripe price id → plan, through the STRIPE_PRICE_* variables. Unknown prices map to null. */
export function planForPrice(priceId: string | null, e: Env = env()): PlanId | null {
  if (!priceId) return null;
  for (const plan of PLANS) {
    if (plan.stripePriceEnv && e[plan.stripePriceEnv] === priceId) return plan.id;
  }
  return null;
}

/**
 * Why `plan` cannot be bought on this installation, or null when it can: payments need
 * STRIPE_SECRET_KEY and the plan's STRIPE_PRICE_* variable. One answer for the checkout
 * refusal and for the pages that offer the plan.
 */
export function planPurchaseBlocker(plan: PlanId, e: Env = env()): string | null {
  const info = PLANS.find((p) => p.id === plan)!;
  if (!info.stripePriceEnv) return `${info.name} is free: there is nothing to buy.`;
  if (!e.STRIPE_SECRET_KEY)
    return `Payments are not set up on this Beacon yet (STRIPE_SECRET_KEY is unset), so ${info.name} cannot be bought here. Everything on the free plan works.`;
  if (!e[info.stripePriceEnv])
    return `${info.name} has no Stripe price on this Beacon (${info.stripePriceEnv} is unset), so it cannot be bought here.`;
  return null;
}
