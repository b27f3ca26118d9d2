export { saveBusinessProfile, getBusinessProfile } from "./profile";
export { getOnboardingState, getOnboardingStep, type OnboardingState } from "./state";
export { createFirstAlert, type FirstAlert } from "./first-alert";
export {
  onboardingMatches,
  widenSuggestions,
  widenCandidates,
  applyWidenSuggestion,
  markMatchesViewed,
  FEW_MATCHES,
  type OnboardingMatches,
  type WidenSuggestion,
} from "./matches";
export { choosePlan, completeOnboarding, type PlanChoice } from "./plan";
export {
  keywordsToQuery,
  profileMatchCriteria,
  alertFiltersFromProfile,
  type ProfileFilterFields,
} from "./profile-filters";
export type { BusinessProfileRow, OnboardingContext, OnboardingProgressRow } from "./progress";
export {
  businessProfileSchema,
  firstAlertSchema,
  choosePlanSchema,
  widenSchema,
  naicsCodeSchema,
  keywordSchema,
  companyNameSchema,
  defaultAlertName,
  ALERT_FREQUENCIES,
  WIDEN_KINDS,
  MAX_KEYWORDS,
  MAX_NAICS_CODES,
  type BusinessProfileInput,
  type BusinessProfileValues,
  type FirstAlertInput,
  type AlertFrequency,
  type WidenKind,
} from "./schemas";
export { SET_ASIDE_OPTIONS, US_STATES, stateName, setAsideLabel } from "./options";
export {
  ONBOARDING_STEPS,
  STEP_LABELS,
  stepFromProgress,
  visibleStep,
  stepIndex,
  onboardingPath,
  type OnboardingStep,
  type OnboardingStepId,
} from "./steps";
