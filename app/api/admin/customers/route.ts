import { z } from "zod";
import { assertOperatorCan, operatorAuth } from "@/lib/auth";
import { parseQuery, route } from "@/lib/http";
import { searchCustomers } from "@/lib/ops/customers";

export const dynamic = "force-dynamic";

const querySchema = z.object({ q: z.string().max(200).default(""), limit: z.coerce.number().int().min(1).max(200).default(50) });

/** Customers by org name, member e-mail or Stripe customer id. */
export const GET = route(
  async ({ auth, url }) => {
    assertOperatorCan(auth, "ops:read");
    const { q, limit } = parseQuery(url, querySchema);
    const rows = await searchCustomers(q, limit);
    return { body: { data: rows.map((r) => ({ org_id: r.id, name: r.name, plan: r.plan, created_at: r.createdAt.toISOString(), ops_alerts_muted_until: r.opsAlertsMutedUntil?.toISOString() ?? null })) } };
  },
  { authenticate: operatorAuth },
);
