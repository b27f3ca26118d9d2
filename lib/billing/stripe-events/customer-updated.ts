import { inArray } from "drizzle-orm";
import { billingCustomers } from "@/db/schema";
import { idOf } from "./fields";
import type { StripeEventHandler } from "./types";

/**
 * We keep no customer details (no e-mail, name, address or card data): only note that it
 * changed. All the events' customers in one statement.
 */
export const customerUpdated: StripeEventHandler = async (tx, events, now) => {
  const ids = events.map((event) => idOf(event.object.id));
  const known = ids.filter((id): id is string => id !== null);
  const updated =
    known.length > 0
      ? await tx
          .update(billingCustomers)
          .set({ updatedAt: now })
          .where(inArray(billingCustomers.stripeCustomerId, known))
          .returning({ customerId: billingCustomers.stripeCustomerId, orgId: billingCustomers.orgId })
      : [];
  const orgOf = new Map(updated.map((row) => [row.customerId, row.orgId]));
  return ids.map((customerId) => {
    if (!customerId) return { orgId: null, log: "customer.updated without an id" };
    const orgId = orgOf.get(customerId);
    return { orgId: orgId ?? null, log: `customer ${customerId}: ${orgId ? "updated" : "not linked to an org"}` };
  });
};
