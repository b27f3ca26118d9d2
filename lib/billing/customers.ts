import { eq } from "drizzle-orm";
import { billingCustomers, organizations } from "@/db/schema";
import type { OrgContext } from "@/lib/context";
import { AppError } from "@/lib/http";
import { stripeClient } from "./stripe-client";

export async function stripeCustomerIdFor(ctx: OrgContext): Promise<string | null> {
  const [row] = await ctx.transaction((tx) =>
    tx
      .select({ id: billingCustomers.stripeCustomerId })
      .from(billingCustomers)
      .where(eq(billingCustomers.orgId, ctx.orgId)),
  );
  return row?.id ?? null;
}

/**
 * The org's Stripe customer, created on first need with `metadata.org_id` (so every later
 * Stripe object can be traced back to the org). The idempotency key makes two concurrent
 * first purchases create ONE customer; the unique link row makes the database agree.
 */
export async function ensureStripeCustomer(ctx: OrgContext, billingEmail: string | null): Promise<string> {
  const { orgId } = ctx;
  const existing = await stripeCustomerIdFor(ctx);
  if (existing) return existing;
  const [org] = await ctx.transaction((tx) =>
    tx.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, orgId)),
  );
  if (!org) throw new AppError("not_found", "Organisation not found.");
  const customer = await stripeClient().customers.create(
    { name: org.name, ...(billingEmail ? { email: billingEmail } : {}), metadata: { org_id: orgId } },
    { idempotencyKey: `beacon-customer-${orgId}` },
  );
  await ctx.transaction((tx) =>
    tx.insert(billingCustomers).values({ orgId, stripeCustomerId: customer.id }).onConflictDoNothing(),
  );
  const linked = await stripeCustomerIdFor(ctx);
  return linked ?? customer.id;
}
