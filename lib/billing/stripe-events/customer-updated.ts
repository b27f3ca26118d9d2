import { eq } from "drizzle-orm";
import { billingCustomers } from "@/db/schema";
import { idOf } from "./fields";
import type { StripeEventHandler } from "./types";

/** We keep no customer details (no e-mail, name, address or card data): only note that it changed. */
export const customerUpdated: StripeEventHandler = async (tx, event, now) => {
  const customerId = idOf(event.object.id);
  if (!customerId) return { orgId: null, log: "customer.updated without an id" };
  const [row] = await tx
    .update(billingCustomers)
    .set({ updatedAt: now })
    .where(eq(billingCustomers.stripeCustomerId, customerId))
    .returning({ orgId: billingCustomers.orgId });
  return { orgId: row?.orgId ?? null, log: `customer ${customerId}: ${row ? "updated" : "not linked to an org"}` };
};
