import { sql } from "drizzle-orm";
import { businessProfiles, onboardingProgress } from "@/db/schema";
import { validate } from "@/lib/http";
import { assertCan } from "@/lib/orgs";
import { syncFirstAlertFilters } from "./first-alert";
import {
  assertOrgExists,
  readProfile,
  readProgress,
  type BusinessProfileRow,
  type OnboardingContext,
} from "./progress";
import { businessProfileSchema, type BusinessProfileInput } from "./schemas";

/**
 * Creates or replaces the org's business profile and records the profile step (the first
 * completion time is kept for the funnel; every save counts as activity). The org's name is
 * left alone: the company name here describes the business, not the account. A first alert
 * that still has the old profile's filters moves with the profile.
 */
export async function saveBusinessProfile(
  ctx: OnboardingContext,
  input: BusinessProfileInput,
): Promise<BusinessProfileRow> {
  const { orgId } = ctx;
  assertCan(ctx.actor, "onboarding:manage");
  const values = validate(businessProfileSchema, input);
  const now = ctx.now();
  const saved = await ctx.transaction(async (tx) => {
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
    await syncFirstAlertFilters(ctx, saved.firstAlertId, saved.previous, saved.profile);
  return saved.profile;
}

/** The org's profile, or null before the first save. */
export async function getBusinessProfile(ctx: OnboardingContext): Promise<BusinessProfileRow | null> {
  return ctx.transaction((tx) => readProfile(tx, ctx.orgId));
}
