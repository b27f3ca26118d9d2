import { and, eq, gt, sql } from "drizzle-orm";
import { organizations, quotaWarnings, usageQuotas } from "@/db/schema";
import { inOrg, type OrgContext, type SystemActor, type SystemContext } from "@/lib/context";
import { billingContacts } from "@/lib/orgs";
import { appUrl } from "@/lib/env";
import { formatDate } from "@/lib/format";
import { deliverOutboxNow, enqueueOutbox } from "@/lib/outbox";

/** Shares of the month's allowance used (percent) at which owners and billing members hear of it. */
export const QUOTA_WARNING_THRESHOLDS = [80, 100] as const;
export type QuotaWarningThreshold = (typeof QUOTA_WARNING_THRESHOLDS)[number];

/** How many orgs one sweep warns at most; the next sweep takes the rest. */
const BATCH = 200;

interface DueWarning {
  periodStart: Date;
  threshold: QuotaWarningThreshold;
}

/** The highest threshold `used` of `monthly` has reached, if any. */
export function reachedThreshold(monthly: number, remaining: number): QuotaWarningThreshold | null {
  if (monthly <= 0) return null;
  if (remaining <= 0) return 100;
  return (monthly - remaining) * 100 >= 80 * monthly ? 80 : null;
}

/**
 * The sweep: every org in its current period that has used 80 % or all of its month's API
 * allowance and has not been told yet gets one e-mail per threshold per period (an org that
 * jumps straight to 100 % gets only that one). It reads the quota rows, so it needs no event
 * from the metered call's hot path and catches up after any gap.
 */
export async function runQuotaWarnings(ctx: SystemContext, options: { batch?: number } = {}) {
  const batch = options.batch ?? BATCH;
  const now = ctx.now();
  const due = await ctx.transaction(async (tx) => {
    const q = usageQuotas;
    const rows = await tx
      .select({ orgId: q.orgId, periodStart: q.periodStart, monthly: q.quotaMonthly, remaining: q.quotaRemaining })
      .from(q)
      .where(
        and(
          gt(q.periodEnd, now),
          gt(q.quotaMonthly, 0),
          sql`(${q.quotaMonthly} - ${q.quotaRemaining}) * 100 >= 80 * ${q.quotaMonthly}`,
          // Only orgs not yet told of the threshold they reached (reachedThreshold's rule), so
          // orgs warned earlier never fill the batch and hide one still waiting.
          // Spelled out: inside the sub-select drizzle's bare column names would mean w's own.
          sql`not exists (select 1 from ${quotaWarnings} w where w.org_id = usage_quotas.org_id
            and w.period_start = usage_quotas.period_start
            and w.threshold = case when usage_quotas.quota_remaining <= 0 then 100 else 80 end)`,
        ),
      )
      .limit(batch);
    return rows.map((row) => ({
      orgId: row.orgId,
      periodStart: row.periodStart,
      threshold: reachedThreshold(row.monthly, row.remaining)!,
    }));
  });
  let emailed = 0;
  for (const warning of due) emailed += await sendQuotaWarning(inOrg(ctx, warning.orgId), warning);
  return { orgs: due.length, emailed };
}

/**
 * One warning for the context's org: claimed in `quota_warnings` in the same transaction as its
 * e-mails, so overlapping sweeps and re-runs send it once. Claiming 100 % also claims 80 %. The
 * e-mails are outbox rows, not events: delivered by id once the claim commits.
 */
export async function sendQuotaWarning(
  ctx: OrgContext<SystemActor>,
  { periodStart, threshold }: DueWarning,
): Promise<number> {
  const orgId = ctx.orgId;
  const queued = await ctx.transaction(async (tx) => {
    const [quota] = await tx.select().from(usageQuotas).where(eq(usageQuotas.orgId, orgId));
    // The period rolled over since the sweep read it: the new period starts unwarned.
    if (!quota || quota.periodStart.getTime() !== periodStart.getTime()) return [];
    const contacts = await billingContacts(tx, orgId);
    const claimed = await tx
      .insert(quotaWarnings)
      .values(
        QUOTA_WARNING_THRESHOLDS.filter((t) => t <= threshold).map((t) => ({
          orgId,
          periodStart,
          threshold: t,
          recipients: t === threshold ? contacts.length : 0,
        })),
      )
      .onConflictDoNothing()
      .returning({ threshold: quotaWarnings.threshold });
    if (!claimed.some((c) => c.threshold === threshold)) return [];
    const [org] = await tx.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, orgId));
    const message = warningText(threshold, org?.name ?? "Your organisation", quota);
    const ids: string[] = [];
    for (const contact of contacts) {
      const row = await enqueueOutbox(tx, {
        kind: "email",
        orgId,
        dedupeKey: `quota-warning:${orgId}:${periodStart.toISOString()}:${threshold}:${contact.userId}`,
        payload: { kind: `quota_warning_${threshold}`, to: contact.email, ...message },
      });
      if (row.created) ids.push(row.id);
    }
    return ids;
  });
  if (queued.length > 0) await deliverOutboxNow(queued);
  return queued.length;
}

function warningText(
  threshold: QuotaWarningThreshold,
  orgName: string,
  quota: { quotaMonthly: number; quotaRemaining: number; creditsRemaining: number; periodEnd: Date },
) {
  const calls = (n: number) => `${n.toLocaleString("en-US")} API call${n === 1 ? "" : "s"}`;
  const resets = formatDate(quota.periodEnd);
  // The billing page shows the plan, credits and this month's usage.
  const billing = `${appUrl()}/settings/billing`;
  const credits =
    quota.creditsRemaining > 0
      ? `Your ${calls(quota.creditsRemaining)} of credits are spent next, before any call is refused.`
      : `Once it is used up, API calls are refused (HTTP 402) until it resets, unless you buy credits or upgrade.`;
  if (threshold === 100)
    return {
      subject: `${orgName} has used all of this month's API calls on Beacon`,
      text: `${orgName} has used all ${calls(quota.quotaMonthly)} of this month's allowance. It resets on ${resets}.\n\n${
        quota.creditsRemaining > 0
          ? `Calls now spend your credits (${calls(quota.creditsRemaining)} left).`
          : `Until then API calls are refused (HTTP 402). Buy credits or upgrade your plan to keep going: ${billing}`
      }`,
    };
  return {
    subject: `${orgName} has used 80% of this month's API calls on Beacon`,
    text: `${orgName} has used ${calls(quota.quotaMonthly - quota.quotaRemaining)} of its ${calls(quota.quotaMonthly)} this month; ${calls(quota.quotaRemaining)} left until ${resets}.\n\n${credits}\n\nUsage, plans and credits: ${billing}`,
  };
}
