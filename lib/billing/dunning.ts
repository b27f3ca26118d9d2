import { and, eq, isNotNull, isNull, notInArray, or } from "drizzle-orm";
import { type Tx } from "@/db/client";
import { dunningNotices, organizations, subscriptions } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { inOrg, type OrgContext, type SystemActor, type SystemContext } from "@/lib/context";
import { billingContacts } from "@/lib/orgs";
import { appUrl } from "@/lib/env";
import { deliverOutboxNow, enqueueOutbox } from "@/lib/outbox";
import { graceEndsAt, planById } from "@/lib/plans";
import { syncOrgPlan } from "./org-plan";
import { formatDate } from "@/lib/format";

/** Dunning acts for Beacon (`systemActor("billing")`) in the org of the failed invoice. */
export type DunningContext = OrgContext<SystemActor>;

/** Days after the failed payment on which the customer is e-mailed. */
export const DUNNING_NOTICE_DAYS = [0, 3, 7] as const;
export type DunningDay = (typeof DUNNING_NOTICE_DAYS)[number];
const DAY_MS = 86_400_000;

export type DunningOutcome =
  | { status: "sent"; emails: number }
  | { status: "resolved" }
  | { status: "waiting"; until: string }
  | { status: "downgraded" | "already_free"; plan: string };

/**
 * Subscription statuses after which nothing is collected any more (an `unpaid` subscription can
 * still be paid; once Stripe cancels it, it is `canceled`): dunning for them ends.
 */
export const ENDED_SUBSCRIPTION_STATUSES = ["canceled", "incomplete_expired"] as const;

/** Failing and still collectable: a null status is a placeholder row before any subscription event. */
const dunningOpen = and(
  isNotNull(subscriptions.paymentFailedAt),
  isNotNull(subscriptions.failedInvoiceId),
  or(isNull(subscriptions.status), notInArray(subscriptions.status, [...ENDED_SUBSCRIPTION_STATUSES])),
);

/**
 * The subscription still failing on this invoice: null once the invoice was paid, voided or
 * marked uncollectible (the webhook clears the failure), or the subscription ended.
 */
async function stillFailing(tx: Tx, orgId: string, invoiceId: string) {
  const [row] = await tx
    .select({
      id: subscriptions.stripeSubscriptionId,
      failedAt: subscriptions.paymentFailedAt,
      plan: subscriptions.plan,
    })
    .from(subscriptions)
    .where(and(eq(subscriptions.orgId, orgId), eq(subscriptions.failedInvoiceId, invoiceId), dunningOpen));
  return row?.failedAt ? { ...row, failedAt: row.failedAt } : null;
}

function noticeText(day: DunningDay, orgName: string, planName: string, graceEnd: Date) {
  const until = formatDate(graceEnd);
  const link = `${appUrl()}/settings/billing`;
  const lead =
    day === 0
      ? `We could not charge the card on file for ${orgName}'s ${planName} plan.`
      : day === 3
        ? `Reminder: the payment for ${orgName}'s ${planName} plan is still outstanding.`
        : `Last reminder: the payment for ${orgName}'s ${planName} plan is still outstanding.`;
  return {
    subject:
      day === 7 ? `Last reminder: ${orgName} moves to Free on ${until}` : `Payment failed for ${orgName} on Beacon`,
    text: `${lead}\n\nUpdate the card in the billing portal: ${link}\n\nYour plan stays active until ${until}. After that ${orgName} moves to the Free plan (your data and alerts are kept).`,
  };
}

/**
 * One dunning e-mail step for one failed invoice, to every owner and billing member, at most once
 * per (invoice, step): the step is claimed in `dunning_notices` in the same transaction as its
 * e-mails, so the event-driven run, the sweep and a re-run are safe to overlap, and nothing is
 * sent again after retention deleted the delivered outbox rows. Nothing is sent once dunning ended.
 * The e-mails are outbox rows of their own (not events), delivered here once the claim committed.
 */
export async function sendDunningNotice(
  ctx: DunningContext,
  input: { invoiceId: string; day: DunningDay },
): Promise<DunningOutcome> {
  const { orgId } = ctx;
  const { invoiceId, day } = input;
  const queued = await ctx.transaction(async (tx) => {
    const failing = await stillFailing(tx, orgId, invoiceId);
    if (!failing) return null;
    const contacts = await billingContacts(tx, orgId);
    const claimed = await tx
      .insert(dunningNotices)
      .values({ invoiceId, day, orgId, recipients: contacts.length })
      .onConflictDoNothing()
      .returning({ day: dunningNotices.day });
    if (claimed.length === 0) return [];
    const [org] = await tx.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, orgId));
    const notice = noticeText(
      day,
      org?.name ?? "Your organisation",
      planById(failing.plan ?? "free").name,
      graceEndsAt(failing.failedAt),
    );
    const ids: string[] = [];
    for (const contact of contacts) {
      const row = await enqueueOutbox(tx, {
        kind: "email",
        orgId,
        dedupeKey: `dunning:${invoiceId}:day${day}:${contact.userId}`,
        payload: { kind: `dunning_day_${day}`, to: contact.email, subject: notice.subject, text: notice.text },
      });
      if (row.created) ids.push(row.id);
    }
    return ids;
  });
  if (!queued) return { status: "resolved" };
  await deliverOutboxNow(queued);
  return { status: "sent", emails: queued.length };
}

/**
 * The end of the grace period: if the invoice is still unpaid, the org's plan is recomputed
 * (entitlements give free once the grace period is over) and the downgrade audited.
 */
export async function endDunningGrace(ctx: DunningContext, input: { invoiceId: string }): Promise<DunningOutcome> {
  const { orgId } = ctx;
  const { invoiceId } = input;
  const now = ctx.now();
  return ctx.transaction(async (tx) => {
    const failing = await stillFailing(tx, orgId, invoiceId);
    if (!failing) return { status: "resolved" } as const;
    const graceEnd = graceEndsAt(failing.failedAt);
    if (graceEnd > now) return { status: "waiting", until: graceEnd.toISOString() } as const;
    const [before] = await tx
      .select({ plan: organizations.plan })
      .from(organizations)
      .where(eq(organizations.id, orgId));
    const plan = await syncOrgPlan(tx, orgId, now);
    if (before?.plan === plan) return { status: "already_free", plan } as const;
    await recordAudit(tx, {
      actor: { type: "system" },
      orgId,
      action: "billing.dunning.downgraded",
      target: { type: "invoice", id: invoiceId },
      before: { plan: before?.plan ?? null },
      after: { plan },
      reason: "payment still failing when the grace period ended",
      at: now,
    });
    return { status: "downgraded", plan } as const;
  });
}

/** When each step of a failure is due. */
export function dunningSchedule(failedAt: Date) {
  return {
    notices: DUNNING_NOTICE_DAYS.map((day) => ({ day, at: new Date(failedAt.getTime() + day * DAY_MS) })),
    graceEnd: graceEndsAt(failedAt),
  };
}

/**
 * The safety net behind the event-driven dunning run (a lost Inngest event, a run cancelled by
 * mistake): for every failing invoice, the latest notice that is due is sent (once), and an
 * expired grace period downgrades, each in the invoice's org.
 */
export async function runDunningSweep(ctx: SystemContext) {
  const now = ctx.now();
  const failing = await ctx.transaction((tx) =>
    tx
      .select({
        orgId: subscriptions.orgId,
        invoiceId: subscriptions.failedInvoiceId,
        failedAt: subscriptions.paymentFailedAt,
      })
      .from(subscriptions)
      .where(and(dunningOpen, isNotNull(subscriptions.orgId))),
  );
  const summary = { invoices: failing.length, emails: 0, downgraded: 0 };
  for (const row of failing) {
    if (!row.orgId || !row.invoiceId || !row.failedAt) continue;
    const schedule = dunningSchedule(row.failedAt);
    const due = schedule.notices.filter((n) => n.at <= now).at(-1);
    if (due) {
      const sent = await sendDunningNotice(inOrg(ctx, row.orgId), { invoiceId: row.invoiceId, day: due.day });
      if (sent.status === "sent") summary.emails += sent.emails;
    }
    if (schedule.graceEnd <= now) {
      const ended = await endDunningGrace(inOrg(ctx, row.orgId), { invoiceId: row.invoiceId });
      if (ended.status === "downgraded") summary.downgraded++;
    }
  }
  return summary;
}
