import { asc, desc, eq, isNotNull, sql } from "drizzle-orm";
import type Stripe from "stripe";
import { z } from "zod";
import { db } from "@/db/client";
import { billingCustomers, organizations, subscriptions } from "@/db/schema";
import { recordAuditAlone } from "@/lib/audit";
import { stripeClient, stripeConfigured } from "@/lib/billing";
import { operatorAuditActor, type OperatorActor, type ServiceContext } from "@/lib/context";
import { AppError } from "@/lib/http";
import { cockpitContext } from "./cockpit-context";
import { toSafeCsv } from "./csv-safe";

export const ACCOUNTING_COLUMNS = [
  "org_id",
  "org_name",
  "plan",
  "subscription_status",
  "stripe_customer_id",
  "invoice_id",
  "invoice_number",
  "invoice_status",
  "invoice_created_at",
  "currency",
  "amount_due_cents",
  "amount_paid_cents",
  "total_cents",
] as const;

export interface AccountingRange {
  /** Invoices created at or after (UTC). */
  from?: Date;
  /** Invoices created before (UTC; exclusive). */
  to?: Date;
}

interface OrgRow {
  orgId: string;
  name: string;
  plan: string;
  subscriptionStatus: string | null;
  stripeCustomerId: string | null;
}

async function orgsWithBilling(ctx: ServiceContext<OperatorActor>): Promise<OrgRow[]> {
  // The latest subscription row of each org says its status (older ones are history).
  const latest = db()
    .selectDistinctOn([subscriptions.orgId], {
      orgId: subscriptions.orgId,
      status: subscriptions.status,
      customerId: subscriptions.stripeCustomerId,
    })
    .from(subscriptions)
    .where(isNotNull(subscriptions.orgId))
    .orderBy(subscriptions.orgId, desc(subscriptions.updatedAt))
    .as("latest");
  return cockpitContext(ctx).transaction((tx) =>
    tx
      .select({
        orgId: organizations.id,
        name: organizations.name,
        plan: organizations.plan,
        subscriptionStatus: latest.status,
        stripeCustomerId: sql<string | null>`coalesce(${billingCustomers.stripeCustomerId}, ${latest.customerId})`,
      })
      .from(organizations)
      .leftJoin(billingCustomers, eq(billingCustomers.orgId, organizations.id))
      .leftJoin(latest, eq(latest.orgId, organizations.id))
      .orderBy(asc(organizations.name), asc(organizations.id)),
  );
}

/** Every invoice Stripe holds in the range, all pages (Stripe is the ledger; Beacon keeps no invoice copy). */
async function stripeInvoices(range: AccountingRange): Promise<Stripe.Invoice[]> {
  const created: Stripe.RangeQueryParam = {};
  if (range.from) created.gte = Math.floor(range.from.getTime() / 1000);
  if (range.to) created.lt = Math.floor(range.to.getTime() / 1000);
  const invoices: Stripe.Invoice[] = [];
  for await (const invoice of stripeClient().invoices.list({
    limit: 100,
    ...(range.from || range.to ? { created } : {}),
  }))
    invoices.push(invoice);
  return invoices;
}

const customerOf = (invoice: Stripe.Invoice) =>
  typeof invoice.customer === "string" ? invoice.customer : (invoice.customer?.id ?? null);

/**
 * The accounting export: one row per invoice (with its org's plan, subscription status and
 * Stripe customer), one row per org that has none in the range, and invoices of Stripe
 * customers linked to no org at the end (so totals match Stripe's). Every text cell is
 * neutralised against CSV injection. The export is audited (who, when, which range).
 */
export async function exportAccountingCsv(ctx: ServiceContext<OperatorActor>, range: AccountingRange) {
  const orgs = await orgsWithBilling(ctx);
  let invoices: Stripe.Invoice[] = [];
  if (stripeConfigured()) {
    invoices = await stripeInvoices(range);
  } else if (orgs.some((o) => o.stripeCustomerId)) {
    // Customers exist but their invoices cannot be read: an org-only file would under-report revenue.
    throw new AppError(
      "conflict",
      "Stripe is not configured (STRIPE_SECRET_KEY), so the invoices of existing customers cannot be exported.",
    );
  }
  const byCustomer = new Map<string, Stripe.Invoice[]>();
  for (const invoice of invoices) {
    const customer = customerOf(invoice) ?? "";
    byCustomer.set(customer, [...(byCustomer.get(customer) ?? []), invoice]);
  }
  for (const list of byCustomer.values()) list.sort((a, b) => a.created - b.created || a.id!.localeCompare(b.id!));

  const invoiceCells = (invoice: Stripe.Invoice) => [
    invoice.id ?? "",
    invoice.number ?? "",
    invoice.status ?? "",
    new Date(invoice.created * 1000).toISOString(),
    invoice.currency,
    invoice.amount_due,
    invoice.amount_paid,
    invoice.total,
  ];
  const rows: (string | number | null)[][] = [];
  const claimed = new Set<string>();
  for (const org of orgs) {
    const orgCells = [org.orgId, org.name, org.plan, org.subscriptionStatus ?? "", org.stripeCustomerId ?? ""];
    const own = org.stripeCustomerId ? (byCustomer.get(org.stripeCustomerId) ?? []) : [];
    if (org.stripeCustomerId) claimed.add(org.stripeCustomerId);
    if (own.length === 0) rows.push([...orgCells, "", "", "", "", "", null, null, null]);
    for (const invoice of own) rows.push([...orgCells, ...invoiceCells(invoice)]);
  }
  let unlinked = 0;
  for (const [customer, list] of byCustomer) {
    if (claimed.has(customer)) continue;
    for (const invoice of list) {
      unlinked++;
      rows.push(["", "", "", "", customer, ...invoiceCells(invoice)]);
    }
  }

  const csv = toSafeCsv([...ACCOUNTING_COLUMNS], rows);
  const summary = {
    from: range.from?.toISOString() ?? null,
    to: range.to?.toISOString() ?? null,
    orgs: orgs.length,
    invoices: invoices.length,
    unlinked_invoices: unlinked,
    rows: rows.length,
  };
  await recordAuditAlone(
    {
      actor: operatorAuditActor(ctx.actor),
      action: "ops.accounting.exported",
      target: { type: "export", id: "accounting.csv" },
      after: summary,
      requestId: ctx.requestId,
    },
    "ops-cockpit",
  );
  return { csv, summary };
}

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date as YYYY-MM-DD.")
  .refine(
    (v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
    "Not a calendar date.",
  );

/**
 * `?from=YYYY-MM-DD&to=YYYY-MM-DD` (both optional, UTC days, `to` included) → the invoice range.
 * Unknown parameters are refused rather than silently ignored.
 */
export const accountingQuerySchema = z
  // The cockpit's GET form sends an empty field as `from=`: that means "no bound".
  .object({
    from: z.preprocess((v) => (v === "" ? undefined : v), day.optional()),
    to: z.preprocess((v) => (v === "" ? undefined : v), day.optional()),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: "`from` must not be after `to`.", path: ["from"] })
  .transform((q): AccountingRange & { label: string } => ({
    from: q.from ? new Date(`${q.from}T00:00:00Z`) : undefined,
    to: q.to ? new Date(new Date(`${q.to}T00:00:00Z`).getTime() + 86_400_000) : undefined,
    label: q.from || q.to ? `${q.from ?? "start"}_to_${q.to ?? "now"}` : "all",
  }));

/** `beacon-accounting-<range>-<date>.csv`: only digits, letters, `_` and `-`, so it needs no quoting rules. */
export function accountingFilename(label: string, now = new Date()) {
  return `beacon-accounting-${label}-${now.toISOString().slice(0, 10)}.csv`;
}
