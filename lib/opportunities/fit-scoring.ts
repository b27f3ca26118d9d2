import { AppError } from "@/lib/http";
import type { FitPin } from "./cursor";
import { fitScoringName, type FitContext, type FitProfile, type NotRelevantMark } from "./fit";

/** The profile a "best fit" search scores with, and the marks that lower notices like them. */
export interface FitScoring {
  profile: FitProfile;
  marks: readonly NotRelevantMark[];
  pin: FitPin;
}

/**
 * The profile fit is scored against; 422 (path `sort`) for an org that has not described its
 * business: every notice would score on its type alone, which is not what "best fit" promises.
 */
export function requireFitProfile(fit: FitContext | undefined): FitProfile {
  if (fit?.profile) return fit.profile;
  throw new AppError("validation_failed", "Sorting by fit needs the organisation's business profile.", {
    errors: [{ path: "sort", message: "Describe your business (onboarding) to sort by fit." }],
  });
}

/**
 * What a "best fit" page scores with: the org's current profile and marks on a first page; on a
 * later page the marks the first page saw (`markedThrough`), refused when the profile or an older
 * mark changed since (the first page's order cannot be rebuilt then).
 */
export function fitScoring(fit: FitContext | undefined, cursorPin: FitPin | null): FitScoring {
  const profile = requireFitProfile(fit);
  const all = fit?.notRelevant ?? [];
  const markedAt = (m: NotRelevantMark) => m.markedAt?.getTime() ?? 0;
  const marks = cursorPin ? all.filter((m) => markedAt(m) <= cursorPin.markedThrough) : all;
  const pin = {
    markedThrough: cursorPin?.markedThrough ?? Math.max(0, ...marks.map(markedAt)),
    scoring: fitScoringName(profile, marks),
  };
  if (cursorPin && cursorPin.scoring !== pin.scoring)
    throw new AppError(
      "validation_failed",
      "The business profile or the not-relevant marks changed since the first page; start again from the first page.",
      { errors: [{ path: "cursor", message: "The ranking changed since the first page." }] },
    );
  return { profile, marks, pin };
}
