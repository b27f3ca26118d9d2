import { and, eq, ilike, or, sql, type SQL } from "drizzle-orm";
import { newestFirst, olderThan } from "@/db/keyset";
import { billingCustomers, memberships, onboardingProgress, organizations, users } from "@/db/schema";
import type { OperatorActor, ServiceContext } from "@/lib/context";
import { nextTimeCursor, type TimeCursor } from "@/lib/http";
import { cockpitContext } from "./cockpit-context";
import { isStuckCustomer } from "./stuck-customers";

/** Tabs of the customers list: by what Stripe says they pay, or stuck (the ops alerts' definition, evaluated now). */
export const CUSTOMER_SEGMENTS = ["all", "trialing", "active", "past_due", "free", "stuck"] as const;
export type CustomerSegment = (typeof CUSTOMER_SEGMENTS)[number];

const escapeLike = (text: string) => text.replace(/[\\%_]/g, "\\$&");

/** The org's most recently updated subscription status (null without any). */
const latestStatus = sql<
  string | null
>`(select s.status from subscriptions s where s.org_id = ${organizations.id} and s.status is not null order by s.updated_at desc limit 1)`;
const openAlerts = sql<number>`(select count(*)::int from ops_alerts a where a.org_id = ${organizations.id} and a.status = 'open')`;

function segmentFilter(segment: CustomerSegment, now: Date): SQL | undefined {
  switch (segment) {
    case "all":
      return undefined;
    case "free":
      return sql`not exists (select 1 from subscriptions s where s.org_id = ${organizations.id} and s.status in ('trialing', 'active', 'past_due', 'unpaid', 'paused', 'incomplete'))`;
    case "stuck":
      return isStuckCustomer(now);
    default:
      return sql`${latestStatus} = ${segment}`;
  }
}

function searchFilter(query: string): SQL | undefined {
  const q = query.trim().slice(0, 200);
  if (!q) return undefined;
  const like = `%${escapeLike(q)}%`;
  return or(
    ilike(organizations.name, like),
    sql`exists (select 1 from ${memberships} m join ${users} u on u.id = m.user_id where m.org_id = ${organizations.id} and u.email ilike ${like})`,
    sql`exists (select 1 from ${billingCustomers} b where b.org_id = ${organizations.id} and b.stripe_customer_id = ${q})`,
  );
}

export interface CustomerSearch {
  q?: string;
  segment?: CustomerSegment;
  cursor?: TimeCursor;
  limit?: number;
}

/** Customers by org name, member e-mail (substring) or exact Stripe customer id, newest first, paged. */
export async function searchCustomers(
  ctx: ServiceContext<OperatorActor>,
  { q = "", segment = "all", cursor, limit = 50 }: CustomerSearch = {},
) {
  const now = ctx.now();
  const size = Math.min(Math.max(limit, 1), 200);
  const rows = await cockpitContext(ctx).transaction((tx) =>
    tx
      .select({
        id: organizations.id,
        name: organizations.name,
        plan: organizations.plan,
        createdAt: organizations.createdAt,
        opsAlertsMutedUntil: organizations.opsAlertsMutedUntil,
        subscriptionStatus: latestStatus,
        openAlerts: openAlerts,
        onboardingCompletedAt: onboardingProgress.onboardingCompletedAt,
      })
      .from(organizations)
      .leftJoin(onboardingProgress, eq(onboardingProgress.orgId, organizations.id))
      .where(
        and(
          searchFilter(q),
          segmentFilter(segment, now),
          cursor ? olderThan(organizations.createdAt, organizations.id, cursor) : undefined,
        ),
      )
      .orderBy(...newestFirst(organizations.createdAt, organizations.id))
      .limit(size + 1),
  );
  const { page, nextCursor } = nextTimeCursor(rows, size, (r) => ({ at: r.createdAt, id: r.id }));
  return { items: page.map((r) => ({ ...r, openAlerts: Number(r.openAlerts) })), nextCursor };
}

/** How many customers each tab holds (search not applied: the tabs describe the whole base). */
export async function customerSegmentCounts(
  ctx: ServiceContext<OperatorActor>,
): Promise<Record<CustomerSegment, number>> {
  const now = ctx.now();
  const entries = await cockpitContext(ctx).transaction(async (tx) => {
    const out: (readonly [CustomerSegment, number])[] = [];
    for (const segment of CUSTOMER_SEGMENTS) {
      const [row] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(organizations)
        .where(segmentFilter(segment, now));
      out.push([segment, Number(row?.n ?? 0)] as const);
    }
    return out;
  });
  return Object.fromEntries(entries) as Record<CustomerSegment, number>;
}
