import { and, asc, gt, lte } from "drizzle-orm";
import { usageQuotas } from "@/db/schema";
import { inOrg, type SystemContext } from "@/lib/context";
import { isAppError } from "@/lib/http";
import { rollOverPeriod } from "./ledger";

export interface QuotaResetResult {
  /** Orgs this run moved into the new period. */
  rolled: number;
  /** Due when listed, but already rolled over meanwhile (a metered call or another run) or deleted. */
  skipped: number;
  batches: number;
}

/**
 * The monthly reset (its schedule lives in inngest/functions): rolls every org whose period
 * ended by the context's clock into the calendar month containing it, with its entitled quota. Lists due
 * orgs `batchSize` at a time by org id (keyset, so the loop always ends) and rolls each over
 * in its own short transaction with the same conditional statement the lazy rollover uses:
 * a metered call waits for one row lock at most, and running twice, or concurrently with
 * itself, rolls each org exactly once.
 */
export async function resetDueQuotas(
  ctx: SystemContext,
  { batchSize = 200 }: { batchSize?: number } = {},
): Promise<QuotaResetResult> {
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new Error("batchSize must be a positive integer");
  const now = ctx.now();
  const result: QuotaResetResult = { rolled: 0, skipped: 0, batches: 0 };
  let after: string | null = null;
  for (;;) {
    const due: { orgId: string }[] = await ctx.transaction((tx) =>
      tx
        .select({ orgId: usageQuotas.orgId })
        .from(usageQuotas)
        .where(and(lte(usageQuotas.periodEnd, now), after ? gt(usageQuotas.orgId, after) : undefined))
        .orderBy(asc(usageQuotas.orgId))
        .limit(batchSize),
    );
    if (due.length === 0) break;
    result.batches += 1;
    for (const { orgId } of due) {
      const rolled = await inOrg(ctx, orgId)
        .transaction((tx) => rollOverPeriod(tx, orgId, now))
        .catch((error: unknown) => {
          // The org was deleted after the listing: nothing left to reset.
          if (isAppError(error) && error.code === "not_found") return false;
          throw error;
        });
      if (rolled) result.rolled += 1;
      else result.skipped += 1;
    }
    after = due[due.length - 1]!.orgId;
    if (due.length < batchSize) break;
  }
  return result;
}
