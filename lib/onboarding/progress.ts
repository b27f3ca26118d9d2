import { eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { alerts, businessProfiles, onboardingProgress, organizations } from "@/db/schema";
import type { MemberActor, OrgContext } from "@/lib/context";
import { AppError } from "@/lib/http";

export type BusinessProfileRow = typeof businessProfiles.$inferSelect;
export type OnboardingProgressRow = typeof onboardingProgress.$inferSelect;

/** The context onboarding runs in: an org, and the signed-in member setting it up. */
export type OnboardingContext = OrgContext<MemberActor>;

/** Inside a tenant transaction: the org must exist (RLS shows only the current one). */
export async function assertOrgExists(tx: Tx, orgId: string) {
  const [org] = await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, orgId));
  if (!org) throw new AppError("not_found", "No such organisation.");
}

export async function readProfile(tx: Tx, orgId: string): Promise<BusinessProfileRow | null> {
  const [row] = await tx.select().from(businessProfiles).where(eq(businessProfiles.orgId, orgId));
  return row ?? null;
}

/** The progress row, locked for the rest of the transaction when `forUpdate`. */
export async function readProgress(
  tx: Tx,
  orgId: string,
  options: { forUpdate?: boolean } = {},
): Promise<OnboardingProgressRow | null> {
  const query = tx.select().from(onboardingProgress).where(eq(onboardingProgress.orgId, orgId));
  const [row] = options.forUpdate ? await query.for("update") : await query;
  return row ?? null;
}

/** The org's alert with that id, or null (deleted since, or never existed). */
export async function readAlert(tx: Tx, orgId: string, alertId: string | null) {
  if (!alertId) return null;
  const [row] = await tx
    .select()
    .from(alerts)
    .where(sql`${alerts.orgId} = ${orgId} and ${alerts.id} = ${alertId}`);
  return row ?? null;
}

/** Refuses a step whose predecessor is not done: the server, not the UI, keeps the order. */
export function requireAlertStep(
  progress: OnboardingProgressRow | null,
): asserts progress is OnboardingProgressRow & { firstAlertId: string } {
  if (!progress?.profileCompletedAt)
    throw new AppError("conflict", "Describe your business first: the profile step is not done yet.");
  if (!progress.alertCompletedAt || !progress.firstAlertId)
    throw new AppError("conflict", "Create your first alert first: the alert step is not done yet.");
}
