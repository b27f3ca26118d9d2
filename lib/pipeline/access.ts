import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { organizations } from "@/db/schema";
import type { OrgContext } from "@/lib/context";
import { entitlementsFor, planById, PLANS, type PlanId } from "@/lib/plans";
import { AppError } from "@/lib/http";
import { UPGRADE_PATH } from "@/lib/orgs";

export interface PipelineAccess {
  included: boolean;
  planName: string;
  upgradeUrl: string;
}

/** The plans whose entitlements include the pipeline, for queries that span orgs (reminders, calendar). */
export function pipelinePlans(): PlanId[] {
  return PLANS.filter((plan) => entitlementsFor({ plan: plan.id }).pipeline).map((plan) => plan.id);
}

/** The plans whose entitlements include "what changed" e-mails, for the sweep that spans orgs. */
export function changeTrackingPlans(): PlanId[] {
  return PLANS.filter((plan) => entitlementsFor({ plan: plan.id }).changeTracking).map((plan) => plan.id);
}

/** Whether the org's plan includes the pipeline, as the one entitlements decision says. */
export async function pipelineAccessIn(tx: DbOrTx, orgId: string): Promise<PipelineAccess> {
  const [org] = await tx.select({ plan: organizations.plan }).from(organizations).where(eq(organizations.id, orgId));
  if (!org) throw new AppError("not_found", "No such organisation.");
  const entitlements = entitlementsFor({ plan: org.plan });
  return {
    included: entitlements.pipeline,
    planName: planById(entitlements.effectivePlan).name,
    upgradeUrl: UPGRADE_PATH,
  };
}

/** For pages: whether to show the pipeline or the upgrade prompt (no error either way). */
export async function pipelineAccess(ctx: OrgContext): Promise<PipelineAccess> {
  return ctx.transaction((tx) => pipelineAccessIn(tx, ctx.orgId));
}

/** Refuses (403 with the upgrade link) an org whose plan does not include the pipeline. */
export async function assertPipelineIncluded(tx: DbOrTx, orgId: string) {
  const access = await pipelineAccessIn(tx, orgId);
  if (access.included) return;
  const first = PLANS.find((plan) => entitlementsFor({ plan: plan.id }).pipeline);
  throw new AppError(
    "forbidden",
    `The bid pipeline (tracked notices, deadline reminders, calendar feed) is not part of the ${access.planName} plan. Upgrade to ${first?.name ?? "a paid plan"} or above to use it.`,
    { feature: "pipeline", plan: access.planName, upgrade_url: access.upgradeUrl },
  );
}
