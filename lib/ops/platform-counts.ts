import { sql } from "drizzle-orm";
import type { OperatorActor, ServiceContext } from "@/lib/context";
import { cockpitContext } from "./cockpit-context";

export interface PlatformCounts {
  organizations: number;
  users: number;
  operators: number;
  activeApiKeys: number;
  emailsLast24h: number;
  emailFailuresLast24h: number;
  signupsLast7d: number;
}

/** Headline numbers for the cockpit, in one round trip. */
export async function platformCounts(ctx: ServiceContext<OperatorActor>): Promise<PlatformCounts> {
  const now = ctx.now();
  const dayAgo = new Date(now.getTime() - 24 * 3600_000);
  const weekAgo = new Date(now.getTime() - 7 * 24 * 3600_000);
  const result = await cockpitContext(ctx).transaction((tx) =>
    tx.execute<Record<keyof PlatformCounts, number | string>>(sql`
    select
      (select count(*) from organizations) as "organizations",
      (select count(*) from users) as "users",
      (select count(*) from users where operator_role is not null) as "operators",
      (select count(*) from api_keys where revoked_at is null) as "activeApiKeys",
      (select count(*) from email_messages where created_at > ${dayAgo.toISOString()}::timestamptz) as "emailsLast24h",
      (select count(*) from email_messages where created_at > ${dayAgo.toISOString()}::timestamptz and error is not null) as "emailFailuresLast24h",
      (select count(*) from users where created_at > ${weekAgo.toISOString()}::timestamptz and operator_role is null) as "signupsLast7d"
  `),
  );
  const row = result.rows[0]!;
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)])) as unknown as PlatformCounts;
}
