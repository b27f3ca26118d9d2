import { eq } from "drizzle-orm";
import { withTenant } from "@/db/tenant";
import { billingCustomers, organizations } from "@/db/schema";
import { AppError } from "@/lib/http";
import { stripeClient } from "./stripe-client";

export async function stripeCustomerIdFor(orgId: string): Promise<string | null> {
  const [row] = await withTenant(orgId, (tx) =>
    tx
      .select({ id: billingCustomers.stripeCustomerId })
      .from(billingCustomers)
      .where(eq(billingCustomers.orgId, orgId)),
  );
  return row?.id ?? null;
}

/**
 * The org's Stripe customer, created on first need with `metadata.org_id` (so every later
 * Stripe object can be traced back to the org). The idempotency key makes two concurrent
 * first purchases create ONE customer; the unique link row makes the database agree.
 */
export async function ensureStripeCustomer(orgId: string, billingEmail: string | null): Promise<string> {
  const existing = await stripeCustomerIdFor(orgId);
  if (existing) return existing;
  const [org] = await withTenant(orgId, (tx) =>
    tx.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, orgId)),
  );
  if (!org) throw new AppError("not_found", "Organisation not found.");
  const customer = await stripeClient().customers.create(
    { name: org.name, ...(billingEmail ? { email: billingEmail } : {}), metadata: { org_id: orgId } },
    { idempotencyKey: `beacon-customer-${orgId}` },
  );
  await withTenant(orgId, (tx) =>
    tx.insert(billingCustomers).values({ orgId, stripeCustomerId: customer.id }).onConflictDoNothing(),
  );
  const linked = await stripeCustomerIdFor(orgId);
  return linked ?? customer.id;
}
