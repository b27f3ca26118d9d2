import { sql } from "drizzle-orm";
import { withTenant } from "@/db/tenant";
import { businessProfiles, onboardingProgress } from "@/db/schema";
import { validate } from "@/lib/http";
import { assertCan, type OrgActor } from "@/lib/orgs";
import { syncFirstAlertFilters } from "./first-alert";
import { assertOrgExists, assertOrgId, readProfile, readProgress, type BusinessProfileRow } from "./progress";
import { businessProfileSchema, type BusinessProfileInput } from "./schemas";

/**
 * Creates or replaces the org's business profile and records the profile step (the first
 * completion time is kept for the funnel; every save counts as activity). The org's name is
 * left alone: the company name here describes the business, not the account. A first alert
 * that still has the old profile's filters moves with the profile.
 */
export async function saveBusinessProfile(
  orgId: string,
  actor: OrgActor,
  input: BusinessProfileInput,
  now = new Date(),
): Promise<BusinessProfileRow> {
  assertCan(actor, "onboarding:manage");
  assertOrgId(orgId);
  const values = validate(businessProfileSchema, input);
  const saved = await withTenant(orgId, async (tx) => {
    await assertOrgExists(tx, orgId);
    const previous = await readProfile(tx, orgId);
    const firstAlertId = (await readProgress(tx, orgId))?.firstAlertId ?? null;
    const [profile] = await tx
      .insert(businessProfiles)
      .values({ orgId, ...values, updatedAt: now })
      .onConflictDoUpdate({ target: businessProfiles.orgId, set: { ...values, updatedAt: now } })
      .returning();
    await tx
      .insert(onboardingProgress)
      .values({ orgId, profileCompletedAt: now, lastActivityAt: now, createdAt: now })
      .onConflictDoUpdate({
        target: onboardingProgress.orgId,
        set: {
          profileCompletedAt: sql`coalesce(${onboardingProgress.profileCompletedAt}, excluded.profile_completed_at)`,
          lastActivityAt: now,
        },
      });
    return { profile: profile!, previous, firstAlertId };
  });
  if (saved.previous && saved.firstAlertId)
    await syncFirstAlertFilters(orgId, actor, saved.firstAlertId, saved.previous, saved.profile, now);
  return saved.profile;
}

/** The org's profile, or null before the first save. */
export async function getBusinessProfile(orgId: string): Promise<BusinessProfileRow | null> {
  assertOrgId(orgId);
  return withTenant(orgId, (tx) => readProfile(tx, orgId));
}
