import { and, desc, eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { alerts, onboardingProgress, organizations } from "@/db/schema";
import { createAlert, createAlertSchema, updateAlert } from "@/lib/alerts";
import { planById } from "@/lib/plans";
import { AppError, isAppError, validate } from "@/lib/http";
import { assertCan } from "@/lib/orgs";
import { alertFiltersFromProfile, type ProfileFilterFields } from "./profile-filters";
import { readAlert, readProfile, readProgress, type OnboardingContext } from "./progress";
import { firstAlertSchema, type FirstAlertInput } from "./schemas";

export type FirstAlert = NonNullable<Awaited<ReturnType<typeof readAlert>>>;

/**
 * Records `alertId` as the first alert unless another one was recorded since we looked
 * (`seenAlertId`). Returns the id that is recorded afterwards.
 */
async function recordFirstAlert(
  tx: Tx,
  orgId: string,
  alertId: string,
  seenAlertId: string | null,
  now: Date,
): Promise<string> {
  const current = (await readProgress(tx, orgId, { forUpdate: true }))?.firstAlertId ?? null;
  if (current && current !== alertId && current !== seenAlertId) return current;
  await tx
    .update(onboardingProgress)
    .set({
      firstAlertId: alertId,
      alertCompletedAt: sql`coalesce(${onboardingProgress.alertCompletedAt}, ${now.toISOString()}::timestamptz)`,
      lastActivityAt: now,
    })
    .where(eq(onboardingProgress.orgId, orgId));
  return alertId;
}

/**
 * Creates the org's first alert from the saved profile's filters and records the alert step.
 * Refused (conflict) before the profile step. Idempotent: once an alert is recorded, another
 * submit returns it unchanged (`created: false`) instead of creating a second one.
 */
export async function createFirstAlert(
  ctx: OnboardingContext,
  input: FirstAlertInput,
): Promise<{ alert: FirstAlert; created: boolean }> {
  const { orgId } = ctx;
  assertCan(ctx.actor, "onboarding:manage");
  const values = validate(firstAlertSchema, input);
  const now = ctx.now();

  const before = await ctx.transaction(async (tx) => {
    const profile = await readProfile(tx, orgId);
    const progress = await readProgress(tx, orgId);
    if (!profile || !progress?.profileCompletedAt)
      throw new AppError("conflict", "Describe your business first: the profile step is not done yet.");
    return { profile, seenAlertId: progress.firstAlertId, existing: await readAlert(tx, orgId, progress.firstAlertId) };
  });
  if (before.existing) return { alert: before.existing, created: false };

  let createdId: string;
  try {
    const body = validate(createAlertSchema, {
      name: values.name,
      frequency: values.frequency,
      ...alertFiltersFromProfile(before.profile),
      delivery_email: values.deliveryEmail,
    });
    const created = await createAlert(ctx, body);
    createdId = created.id;
  } catch (error) {
    const settled =
      isAppError(error) && error.code === "forbidden" ? await settleAtAlertLimit(ctx, before.seenAlertId, now) : null;
    if (settled) return { alert: settled, created: false };
    throw error;
  }

  return ctx.transaction(async (tx) => {
    const keptId = await recordFirstAlert(tx, orgId, createdId, before.seenAlertId, now);
    // A concurrent submit recorded its alert first: keep that one, so there is exactly one.
    if (keptId !== createdId) await tx.delete(alerts).where(and(eq(alerts.orgId, orgId), eq(alerts.id, createdId)));
    const alert = await readAlert(tx, orgId, keptId);
    if (!alert) throw new AppError("conflict", "The alert changed while it was being created. Please reload the page.");
    return { alert, created: keptId === createdId };
  });
}

/**
 * The plan's alert limit refused a new alert. If the org's active alerts already fill it (a concurrent
 * submit's alert, or one made outside the wizard), the newest of them completes the step rather
 * than leaving the wizard stuck; otherwise null and the refusal stands.
 */
async function settleAtAlertLimit(
  ctx: OnboardingContext,
  seenAlertId: string | null,
  now: Date,
): Promise<FirstAlert | null> {
  const { orgId } = ctx;
  return ctx.transaction(async (tx) => {
    const [org] = await tx.select({ plan: organizations.plan }).from(organizations).where(eq(organizations.id, orgId));
    const existing = await tx
      .select()
      .from(alerts)
      .where(and(eq(alerts.orgId, orgId), eq(alerts.active, true)))
      .orderBy(desc(alerts.createdAt), desc(alerts.id));
    if (!org || existing.length === 0 || existing.length < planById(org.plan).maxAlerts) return null;
    const keptId = await recordFirstAlert(tx, orgId, existing[0]!.id, seenAlertId, now);
    return readAlert(tx, orgId, keptId);
  });
}

function sameList(a: readonly string[], b: readonly string[]) {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function sameFilters(alert: FirstAlert, filters: ReturnType<typeof alertFiltersFromProfile>) {
  return (
    (alert.q ?? null) === filters.q &&
    sameList(alert.naics, filters.naics) &&
    sameList(alert.states, filters.states) &&
    sameList(alert.setAsides, filters.set_asides) &&
    (alert.preferQ ?? null) === filters.prefer.q &&
    sameList(alert.preferStates, filters.prefer.states) &&
    sameList(alert.preferSetAsides, filters.prefer.set_asides)
  );
}

/**
 * After a profile edit, the first alert follows the profile, unless its filters were changed
 * on their own since (then they are the customer's choice and stay). Returns the updated alert.
 */
export async function syncFirstAlertFilters(
  ctx: OnboardingContext,
  alertId: string,
  previous: ProfileFilterFields,
  next: ProfileFilterFields,
): Promise<FirstAlert | null> {
  const alert = await ctx.transaction((tx) => readAlert(tx, ctx.orgId, alertId));
  const target = alertFiltersFromProfile(next);
  if (!alert || !sameFilters(alert, alertFiltersFromProfile(previous)) || sameFilters(alert, target)) return null;
  return updateAlert(ctx, alertId, target);
}
