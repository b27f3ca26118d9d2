import { and, eq, gt, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { usageQuotas } from "@/db/schema";
import { ensureCurrentPeriod, recordQuotaAdjustment } from "./ledger";

/**
 * Bought and granted credits: a balance of their own beside the month's allowance. A metered
 * call spends them only once the allowance is used up; the monthly rollover keeps them. They
 * never expire (the pricing page says so).
 */
export type CreditSource = { reason: "credit_pack" | "credit_grant"; ref?: string | null };

/** Adds credits (creating or rolling the quota row over first). Returns the new credit balance. */
export async function addCredits(
  tx: Tx,
  orgId: string,
  credits: number,
  now: Date,
  source: CreditSource,
): Promise<number> {
  if (!Number.isSafeInteger(credits) || credits <= 0) throw new Error("credits must be a positive integer");
  await ensureCurrentPeriod(tx, orgId, now);
  const [row] = await tx
    .update(usageQuotas)
    .set({ creditsRemaining: sql`${usageQuotas.creditsRemaining} + ${credits}`, updatedAt: now })
    .where(and(eq(usageQuotas.orgId, orgId), gt(usageQuotas.periodEnd, now)))
    .returning({ periodStart: usageQuotas.periodStart, credits: usageQuotas.creditsRemaining });
  await recordQuotaAdjustment(tx, {
    orgId,
    periodStart: row!.periodStart,
    delta: credits,
    reason: source.reason,
    ref: source.ref,
    now,
  });
  return row!.credits;
}

/**
 * Takes back up to `credits` (a refunded pack), never below 0: what was already spent stays
 * spent. Records what was actually taken. Returns the number of credits taken back.
 */
export async function revokeCredits(
  tx: Tx,
  orgId: string,
  credits: number,
  now: Date,
  ref?: string | null,
): Promise<number> {
  await ensureCurrentPeriod(tx, orgId, now);
  const [row] = await tx
    .select({ periodStart: usageQuotas.periodStart, credits: usageQuotas.creditsRemaining })
    .from(usageQuotas)
    .where(and(eq(usageQuotas.orgId, orgId), gt(usageQuotas.periodEnd, now)))
    .for("update");
  const taken = Math.min(credits, row!.credits);
  if (taken <= 0) return 0;
  await tx
    .update(usageQuotas)
    .set({ creditsRemaining: row!.credits - taken, updatedAt: now })
    .where(eq(usageQuotas.orgId, orgId));
  await recordQuotaAdjustment(tx, {
    orgId,
    periodStart: row!.periodStart,
    delta: -taken,
    reason: "credit_refund",
    ref,
    now,
  });
  return taken;
}
