import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { organizations } from "@/db/schema";
import type { OrgContext } from "@/lib/context";
import { entitlementsFor, planById, PLANS, type PlanId } from "@/lib/plans";
import { AppError } from "@/lib/http";
import { UPGRADE_PATH } from "@/lib/orgs";

export interface ChannelsAccess {
  included: boolean;
  planName: string;
  upgradeUrl: string;
}

/** The plans whose entitlements include channels, for queries that span orgs (digests, change notices). */
export function channelPlans(): PlanId[] {
  return PLANS.filter((plan) => entitlementsFor({ plan: plan.id }).channels).map((plan) => plan.id);
}

export async function channelsAccessIn(tx: DbOrTx, orgId: string): Promise<ChannelsAccess> {
  const [org] = await tx.select({ plan: organizations.plan }).from(organizations).where(eq(organizations.id, orgId));
  if (!org) throw new AppError("not_found", "No such organisation.");
  const entitlements = entitlementsFor({ plan: org.plan });
  return {
    included: entitlements.channels,
    planName: planById(entitlements.effectivePlan).name,
    upgradeUrl: UPGRADE_PATH,
  };
}

/** For pages: the channels or the upgrade prompt (no error either way). */
export async function channelsAccess(ctx: OrgContext): Promise<ChannelsAccess> {
  return ctx.transaction((tx) => channelsAccessIn(tx, ctx.orgId));
}

/** Refuses (403 with the upgrade link) an org whose plan does not include channels. */
export async function assertChannelsIncluded(tx: DbOrTx, orgId: string) {
  const access = await channelsAccessIn(tx, orgId);
  if (access.included) return;
  const first = PLANS.find((plan) => entitlementsFor({ plan: plan.id }).channels);
  throw new AppError(
    "forbidden",
    `Team channels (Slack, Microsoft Teams, signed webhooks) are not part of the ${access.planName} plan. Upgrade to ${first?.name ?? "a paid plan"} or above to use them.`,
    { feature: "channels", plan: access.planName, upgrade_url: access.upgradeUrl },
  );
}
