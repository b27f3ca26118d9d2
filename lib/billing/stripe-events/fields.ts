import { eq, sql } from "drizzle-orm";
import type { DbOrTx, Tx } from "@/db/client";
import { isUuid } from "@/db/tenant";
import { billingCustomers, organizations } from "@/db/schema";
import type { StripeObject } from "./types";

/** A string field, or the id of an expanded object (`customer: "cus_…"` or `customer: { id }`). */
export function idOf(value: unknown): string | null {
  if (typeof value === "string" && value !== "") return value;
  if (value && typeof value === "object" && typeof (value as { id?: unknown }).id === "string")
    return (value as { id: string }).id;
  return null;
}

export function str(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

export function obj(value: unknown): StripeObject | null {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as StripeObject) : null;
}

/** Unix seconds → Date; null for anything else. */
export function unixDate(value: unknown): Date | null {
  return typeof value === "number" && Number.isFinite(value) ? new Date(value * 1000) : null;
}

export function metadataOrgId(object: StripeObject): string | null {
  const id = str(obj(object.metadata)?.org_id);
  return id && isUuid(id) ? id : null;
}

/** The org id if such an org exists (a stale or foreign id links nothing). */
export async function existingOrg(tx: DbOrTx, orgId: string | null): Promise<string | null> {
  if (!orgId || !isUuid(orgId)) return null;
  const [row] = await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, orgId));
  return row?.id ?? null;
}

export async function orgForCustomer(tx: DbOrTx, customerId: string | null): Promise<string | null> {
  if (!customerId) return null;
  const [row] = await tx
    .select({ orgId: billingCustomers.orgId })
    .from(billingCustomers)
    .where(eq(billingCustomers.stripeCustomerId, customerId));
  return row?.orgId ?? null;
}

/** Links org ↔ customer once; an org or customer already linked elsewhere keeps its link. */
export async function linkCustomer(tx: Tx, orgId: string, customerId: string | null, now: Date) {
  if (!customerId) return;
  await tx
    .insert(billingCustomers)
    .values({ orgId, stripeCustomerId: customerId, createdAt: now, updatedAt: now })
    .onConflictDoNothing();
}

/**
 * The org a Stripe object belongs to, in one statement: the first of `candidates` (org ids the
 * object names: a checkout's client_reference_id, metadata.org_id) that exists, else the org
 * already linked to `customerId`; the customer is linked to that org unless the org or the
 * customer is linked already (as `linkCustomer`). Null when none is known. One round trip
 * where looking each up and then linking took up to four, on most Stripe events.
 */
export async function resolveAndLinkOrg(
  tx: Tx,
  candidates: (string | null)[],
  customerId: string | null,
  now: Date,
): Promise<string | null> {
  const ids = candidates.filter((id): id is string => id !== null && isUuid(id));
  const result = await tx.execute<{ org_id: string | null }>(sql`
    with candidate as (
      select o.id from unnest(${`{${ids.join(",")}}`}::uuid[]) with ordinality as c(id, n)
      join ${organizations} o on o.id = c.id
      order by c.n limit 1
    ), resolved as (
      select coalesce((select id from candidate),
        (select org_id from ${billingCustomers} where stripe_customer_id = ${customerId}::text)) as org_id
    ), linked as (
      insert into ${billingCustomers} (org_id, stripe_customer_id, created_at, updated_at)
      select org_id, ${customerId}::text, ${now}::timestamptz, ${now}::timestamptz from resolved
      where org_id is not null and ${customerId}::text is not null
      on conflict do nothing
    )
    select org_id from resolved`);
  return result.rows[0]?.org_id ?? null;
}
