import { sql } from "drizzle-orm";
import { onboardingProgress } from "@/db/schema";
import { AppError } from "@/lib/http";
import {
  countOpportunities,
  naicsSector,
  opportunityFeed,
  rankOpportunities,
  type OpportunityFilters,
  type OpportunityPreferences,
  type OpportunityResult,
} from "@/lib/opportunities";
import { assertCan } from "@/lib/orgs";
import { orgFitContext } from "@/lib/relevance";
import { saveBusinessProfile } from "./profile";
import { profileMatchCriteria, type ProfileFilterFields } from "./profile-filters";
import {
  readProfile,
  readProgress,
  requireAlertStep,
  type BusinessProfileRow,
  type OnboardingContext,
  type OnboardingProgressRow,
} from "./progress";
import type { WidenKind } from "./schemas";

/** Below this many matches the step suggests how to widen the profile. */
export const FEW_MATCHES = 5;

export interface WidenSuggestion {
  kind: WidenKind;
  label: string;
  /** How many opportunities match after this change. */
  count: number;
  /** The profile fields after the change. */
  fields: ProfileFilterFields;
}

export interface OnboardingMatches {
  /** What every match meets: the profile's NAICS codes, open at the feed's reference date. */
  filters: OpportunityFilters;
  /** What ranks the matches and explains them: keywords, places, set-asides. */
  prefer: OpportunityPreferences;
  total: number;
  results: OpportunityResult[];
  /** Empty unless there are fewer than FEW_MATCHES matches. */
  widen: WidenSuggestion[];
}

function unique(values: string[]) {
  return [...new Set(values)];
}

function listed(values: readonly string[], max = 3) {
  return values.length > max ? `${values.slice(0, max).join(", ")} …` : values.join(", ");
}

/**
 * Each way to widen that applies to this profile (before counting). Only NAICS codes narrow
 * matches (keywords, states and set-asides rank them), so only broader codes can find more.
 */
export function widenCandidates(
  p: ProfileFilterFields,
): { kind: WidenKind; label: string; fields: ProfileFilterFields }[] {
  const out: { kind: WidenKind; label: string; fields: ProfileFilterFields }[] = [];
  const fourDigits = unique(p.naicsCodes.map((c) => (/^\d{5,6}$/.test(c) ? c.slice(0, 4) : c)));
  if (fourDigits.join() !== p.naicsCodes.join()) {
    out.push({
      kind: "naics_4_digits",
      label: `Broaden NAICS to industry groups (${listed(fourDigits)})`,
      fields: { ...p, naicsCodes: fourDigits },
    });
  }
  const sectors = unique(p.naicsCodes.map(naicsSector));
  if (sectors.join() !== p.naicsCodes.join() && sectors.join() !== fourDigits.join()) {
    out.push({
      kind: "naics_sectors",
      label: `Broaden NAICS to whole sectors (${listed(sectors)})`,
      fields: { ...p, naicsCodes: sectors },
    });
  }
  return out;
}

/** The widening changes that would find more than `currentTotal`, each with its count. */
export async function widenSuggestions(
  profile: ProfileFilterFields,
  currentTotal: number,
  referenceDate: Date,
): Promise<WidenSuggestion[]> {
  const suggestions: WidenSuggestion[] = [];
  for (const candidate of widenCandidates(profile)) {
    const count = await countOpportunities({ ...profileMatchCriteria(candidate.fields).filters, referenceDate });
    if (count > currentTotal) suggestions.push({ ...candidate, count });
  }
  return suggestions;
}

function fieldsOf(profile: BusinessProfileRow): ProfileFilterFields {
  return {
    naicsCodes: profile.naicsCodes,
    keywords: profile.keywords,
    setAsides: profile.setAsides,
    states: profile.states,
  };
}

async function requireProfile(ctx: OnboardingContext): Promise<BusinessProfileRow> {
  const profile = await ctx.transaction((tx) => readProfile(tx, ctx.orgId));
  if (!profile) throw new AppError("conflict", "Describe your business first: the profile step is not done yet.");
  return profile;
}

/**
 * The open opportunities in the profile's industries (open at the feed's reference date: the
 * snapshot's day for sample data), best fit first — by fit score, each result saying why;
 * notices the org marked not relevant left out — with ways to widen it when few match.
 */
export async function onboardingMatches(
  ctx: OnboardingContext,
  limit = 10,
  referenceDate = opportunityFeed(ctx.now()).referenceDate,
): Promise<OnboardingMatches> {
  const profile = await requireProfile(ctx);
  const criteria = profileMatchCriteria(fieldsOf(profile));
  const filters = { ...criteria.filters, referenceDate };
  const { data, total } = await rankOpportunities(filters, criteria.prefer, limit, await orgFitContext(ctx));
  const widen = total < FEW_MATCHES ? await widenSuggestions(fieldsOf(profile), total, referenceDate) : [];
  return { filters, prefer: criteria.prefer, total, results: data, widen };
}

/** Applies one widening suggestion to the saved profile. */
export async function applyWidenSuggestion(ctx: OnboardingContext, kind: WidenKind): Promise<BusinessProfileRow> {
  assertCan(ctx.actor, "onboarding:manage");
  const profile = await requireProfile(ctx);
  const candidate = widenCandidates(fieldsOf(profile)).find((c) => c.kind === kind);
  if (!candidate) throw new AppError("conflict", "That suggestion no longer applies to your profile.");
  return saveBusinessProfile(ctx, { companyName: profile.companyName, ...candidate.fields });
}

/** Records that the matches were shown; only once the first alert exists. */
export async function markMatchesViewed(ctx: OnboardingContext): Promise<OnboardingProgressRow> {
  const { orgId } = ctx;
  assertCan(ctx.actor, "onboarding:manage");
  const now = ctx.now();
  return ctx.transaction(async (tx) => {
    requireAlertStep(await readProgress(tx, orgId, { forUpdate: true }));
    const [row] = await tx
      .update(onboardingProgress)
      .set({
        matchesViewedAt: sql`coalesce(${onboardingProgress.matchesViewedAt}, ${now.toISOString()}::timestamptz)`,
        lastActivityAt: now,
      })
      .where(sql`${onboardingProgress.orgId} = ${orgId}`)
      .returning();
    return row!;
  });
}
