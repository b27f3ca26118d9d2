import { eq, sql } from "drizzle-orm";
import type { DbOrTx, Tx } from "@/db/client";
import { isUuid } from "@/db/tenant";
import { billingCustomers, organizations, subscriptions } from "@/db/schema";
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

/** For a subscription upsert's SET: the org and customer a row already names stay; one without them takes the event's. */
export const KEEP_SUBSCRIPTION_LINKS = {
  orgId: sql`coalesce(${subscriptions.orgId}, excluded.org_id)`,
  stripeCustomerId: sql`coalesce(${subscriptions.stripeCustomerId}, excluded.stripe_customer_id)`,
};

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
  const [orgId] = await resolveAndLinkOrgs(tx, [{ candidates, customerId }], now);
  return orgId ?? null;
}

/** resolveAndLinkOrg for many objects (a batch of events) in one statement; one answer per object, in order. */
export async function resolveAndLinkOrgs(
  tx: Tx,
  objects: readonly { candidates: (string | null)[]; customerId: string | null }[],
  now: Date,
): Promise<(string | null)[]> {
  if (objects.length === 0) return [];
  const rows = objects.map(({ candidates, customerId }, n) => {
    const ids = candidates.filter((id): id is string => id !== null && isUuid(id));
    return sql`(${n}::int, ${`{${ids.join(",")}}`}::uuid[], ${customerId}::text)`;
  });
  const result = await tx.execute<{ n: number; org_id: string | null }>(sql`
    with input(n, candidates, customer) as (values ${sql.join(rows, sql`, `)}),
    resolved as (
      select i.n, i.customer, coalesce(
        (select o.id from unnest(i.candidates) with ordinality as c(id, k)
          join ${organizations} o on o.id = c.id order by c.k limit 1),
        (select org_id from ${billingCustomers} where stripe_customer_id = i.customer)) as org_id
      from input i
    ), linked as (
      insert into ${billingCustomers} (org_id, stripe_customer_id, created_at, updated_at)
      select org_id, customer, ${now}::timestamptz, ${now}::timestamptz from resolved
      where org_id is not null and customer is not null
      on conflict do nothing
    )
    select n, org_id from resolved`);
  const orgOf = new Map(result.rows.map((row) => [Number(row.n), row.org_id]));
  return objects.map((_, n) => orgOf.get(n) ?? null);
}
