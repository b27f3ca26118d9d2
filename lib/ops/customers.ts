import { and, desc, eq, inArray, sql } from "drizzle-orm";
import {
  billingCustomers,
  jobRuns,
  memberships,
  onboardingProgress,
  opsAlerts,
  organizations,
  subscriptions,
  users,
} from "@/db/schema";
import { auditPage, recordAudit, recordAuditAlone } from "@/lib/audit";
import { syncStripeCustomer, extendTrial } from "@/lib/billing";
import { asSystem, operatorAuditActor, type OperatorActor, type OrgContext, type ServiceContext } from "@/lib/context";
import { AppError } from "@/lib/http";
import { addCredits, usageReport } from "@/lib/metering";
import {
  buildExportBundle,
  listDataRequests,
  retryDataRequest,
  toDataRequestView,
  type DataRequestEvent,
} from "@/lib/retention";
import { customerContext } from "./customer-context";

/** Subscription states Stripe may still bill: an org with one of these cannot be hard-deleted. */
const LIVE = ["trialing", "active", "past_due", "unpaid", "paused", "incomplete"];

/** Everything an operator needs about one customer on one screen. */
export async function customerDetail(ctx: ServiceContext<OperatorActor>, orgId: string) {
  const customer = customerContext(ctx, orgId);
  // One tenant transaction for the page's own reads (each transaction costs round trips).
  const own = await customer.transaction(async (tx) => {
    const [org] = await tx.select().from(organizations).where(eq(organizations.id, orgId));
    if (!org) return null;
    return {
      org,
      members: await tx
        .select({ userId: users.id, email: users.email, name: users.name, role: memberships.role })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(eq(memberships.orgId, orgId)),
      subs: await tx
        .select()
        .from(subscriptions)
        .where(eq(subscriptions.orgId, orgId))
        .orderBy(desc(subscriptions.updatedAt)),
      progress: (await tx.select().from(onboardingProgress).where(eq(onboardingProgress.orgId, orgId)))[0],
      runs: await tx.select().from(jobRuns).where(eq(jobRuns.orgId, orgId)).orderBy(desc(jobRuns.createdAt)).limit(20),
      alerts: await tx
        .select()
        .from(opsAlerts)
        .where(eq(opsAlerts.orgId, orgId))
        .orderBy(desc(opsAlerts.lastSeenAt))
        .limit(20),
      audit: await auditPage(tx, { orgId, limit: 20 }),
      stripeCustomer: (
        await tx
          .select({ id: billingCustomers.stripeCustomerId })
          .from(billingCustomers)
          .where(eq(billingCustomers.orgId, orgId))
      )[0],
    };
  });
  if (!own) throw new AppError("not_found", "No such customer.");
  const { org, members, subs, progress, runs, alerts, audit, stripeCustomer } = own;
  const [usage, requests] = await Promise.all([usageReport(customer), listDataRequests(customer, 20)]);
  return {
    org,
    members,
    subscriptions: subs,
    onboarding: progress ?? null,
    usage,
    stripeCustomerId: stripeCustomer?.id ?? null,
    recentRuns: runs,
    opsAlerts: alerts,
    audit: audit.data,
    dataRequests: requests,
  };
}

export type CustomerAction =
  | { action: "grant-credits"; credits: number; reason: string }
  | { action: "extend-trial"; days: number; reason: string }
  | { action: "mute-alerts"; hours: number; reason?: string }
  | { action: "unmute-alerts"; reason?: string }
  | { action: "reset-stuck"; reason?: string }
  | { action: "activate"; reason?: string }
  | { action: "retry-data-request"; request_id: string; reason?: string };

/**
 * The cockpit's one-click fixes, each in one transaction with its audit entry (before/after).
 * Permission checks (customers:act, money:act) are the caller's. `events` lists what was written
 * to the outbox with the change (and handed to Inngest after it committed).
 */
export async function runCustomerAction(
  ctx: OrgContext<OperatorActor>,
  input: CustomerAction,
): Promise<{ result: unknown; events: DataRequestEvent[] }> {
  const { orgId } = ctx;
  const [org] = await ctx.transaction((tx) =>
    tx
      .select({ id: organizations.id, mutedUntil: organizations.opsAlertsMutedUntil })
      .from(organizations)
      .where(eq(organizations.id, orgId)),
  );
  if (!org) throw new AppError("not_found", "No such customer.");
  if (input.action === "retry-data-request") {
    const { request, events } = await retryDataRequest(ctx, input.request_id, { reason: input.reason });
    return { result: { data_request: toDataRequestView(request) }, events };
  }
  return { result: await applyCustomerAction(ctx, org, input), events: [] };
}

async function applyCustomerAction(
  ctx: OrgContext<OperatorActor>,
  org: { mutedUntil: Date | null },
  input: Exclude<CustomerAction, { action: "retry-data-request" }>,
) {
  const { orgId, requestId } = ctx;
  const actor = operatorAuditActor(ctx.actor);
  const now = ctx.now();
  const audit = {
    actor,
    orgId,
    target: { type: "organization", id: orgId },
    reason: input.reason ?? null,
    requestId,
    at: now,
  };

  if (input.action === "extend-trial") {
    const extended = await extendTrial(ctx, input.days, { reason: input.reason });
    return { trialEnd: extended.trialEnd, plan: extended.plan };
  }

  if (input.action === "activate") {
    // "Paid but not active": converge with Stripe, the source of truth for what they pay for.
    const [customer] = await ctx.transaction((tx) =>
      tx
        .select({ id: billingCustomers.stripeCustomerId })
        .from(billingCustomers)
        .where(eq(billingCustomers.orgId, orgId)),
    );
    if (!customer) throw new AppError("conflict", "This customer has no Stripe customer to sync from.");
    const synced = await syncStripeCustomer(asSystem(ctx, "billing"), customer.id);
    await recordAuditAlone(
      { ...audit, action: "ops.customer.activated", after: { plan: synced.plan, subscriptions: synced.subscriptions } },
      "ops-cockpit",
    );
    return { plan: synced.plan };
  }

  return ctx.transaction(async (tx) => {
    switch (input.action) {
      case "grant-credits": {
        // Operator grants are credits: spent after the allowance, kept across rollovers.
        const credits = await addCredits(tx, orgId, input.credits, now, { reason: "credit_grant", ref: input.reason });
        await recordAudit(tx, {
          ...audit,
          action: "ops.customer.credits_granted",
          before: { credits_remaining: credits - input.credits },
          after: { credits_remaining: credits, credits: input.credits },
        });
        return { creditsRemaining: credits };
      }
      case "mute-alerts": {
        const until = new Date(now.getTime() + input.hours * 3_600_000);
        await tx.update(organizations).set({ opsAlertsMutedUntil: until }).where(eq(organizations.id, orgId));
        await recordAudit(tx, {
          ...audit,
          action: "ops.customer.alerts_muted",
          before: { muted_until: org.mutedUntil?.toISOString() ?? null },
          after: { muted_until: until.toISOString() },
        });
        return { mutedUntil: until };
      }
      case "unmute-alerts": {
        await tx.update(organizations).set({ opsAlertsMutedUntil: null }).where(eq(organizations.id, orgId));
        await recordAudit(tx, {
          ...audit,
          action: "ops.customer.alerts_unmuted",
          before: { muted_until: org.mutedUntil?.toISOString() ?? null },
          after: { muted_until: null },
        });
        return { mutedUntil: null };
      }
      case "reset-stuck": {
        // Resolves the customer's open alerts now; if the condition still holds, the next detector run opens a fresh one.
        const resolved = await tx
          .update(opsAlerts)
          .set({ status: "resolved", resolvedAt: now })
          .where(and(eq(opsAlerts.orgId, orgId), eq(opsAlerts.status, "open")))
          .returning({ id: opsAlerts.id, kind: opsAlerts.kind });
        await recordAudit(tx, {
          ...audit,
          action: "ops.customer.stuck_reset",
          after: { resolved: resolved.map((r) => r.kind) },
        });
        return { resolved: resolved.length };
      }
    }
  });
}

/**
 * Hard delete: only without a subscription Stripe may still bill, only with the org's exact name
 * typed, in one transaction (every tenant row goes with the org by cascade), audited. Users keep
 * their accounts; the audit trail keeps the org's id.
 */
export async function hardDeleteCustomer(ctx: ServiceContext<OperatorActor>, orgId: string, confirmName: string) {
  const customer = customerContext(ctx, orgId);
  const now = ctx.now();
  return customer.transaction(async (tx) => {
    const [org] = await tx.select().from(organizations).where(eq(organizations.id, orgId)).for("update");
    if (!org) throw new AppError("not_found", "No such customer.");
    if (confirmName !== org.name)
      throw new AppError("validation_failed", "Type the organisation's exact name to confirm.", {
        errors: [{ path: "confirm_name", message: "Does not match the organisation's name." }],
      });
    const live = await tx
      .select({ id: subscriptions.stripeSubscriptionId })
      .from(subscriptions)
      .where(and(eq(subscriptions.orgId, orgId), inArray(subscriptions.status, LIVE)));
    if (live.length > 0)
      throw new AppError("conflict", `Cancel the subscription first (${live.map((s) => s.id).join(", ")}).`);
    const [{ members } = { members: 0 }] = await tx
      .select({ members: sql<number>`count(*)::int` })
      .from(memberships)
      .where(eq(memberships.orgId, orgId));
    await recordAudit(tx, {
      actor: operatorAuditActor(ctx.actor),
      orgId,
      action: "ops.customer.deleted",
      target: { type: "organization", id: orgId },
      before: { name: org.name, plan: org.plan, created_at: org.createdAt.toISOString(), members: Number(members) },
      after: null,
      requestId: ctx.requestId,
      at: now,
    });
    await tx.delete(organizations).where(eq(organizations.id, orgId));
    return { deleted: true };
  });
}

/** The customer's data bundle for an operator (404 for an unknown org), audited. */
export async function exportCustomer(ctx: ServiceContext<OperatorActor>, orgId: string) {
  const customer = customerContext(ctx, orgId);
  const [org] = await customer.transaction((tx) =>
    tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, orgId)),
  );
  if (!org) throw new AppError("not_found", "No such customer.");
  const bundle = await buildExportBundle(customer);
  await recordAuditAlone(
    {
      actor: operatorAuditActor(ctx.actor),
      orgId,
      action: "ops.customer.exported",
      target: { type: "organization", id: orgId },
      requestId: ctx.requestId,
    },
    "ops-cockpit",
  );
  return bundle;
}
