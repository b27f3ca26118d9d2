export {
  chargeApiCall,
  refundApiCall,
  finishMeteredCall,
  setQuotaRemaining,
  usageReport,
  type Charge,
  type UsageReport,
} from "./quota";
export {
  monthlyUsageReport,
  findUsageDrift,
  parseMonth,
  type MonthlyUsageReport,
  type UsageDrift,
} from "./usage-report";
export { addCredits, addCreditsToOrgs, revokeCredits, revokeCreditsOfOrgs, type CreditSource } from "./credits";
export { adjustCurrentPeriod, adjustCurrentPeriods, type QuotaRow } from "./ledger";
export { resetDueQuotas, type QuotaResetResult } from "./reset";
export {
  beginIdempotentRequest,
  releaseIdempotentRequest,
  parseIdempotencyKey,
  requestFingerprint,
  IDEMPOTENCY_TTL_MS,
  IDEMPOTENCY_KEY_MAX,
  type IdempotencyStart,
  type StoredAnswer,
} from "./idempotency";
export { meteredRoute, type MeteredSpec, type MeteredContext } from "./metered-route";
export { monthContaining } from "./periods";
export {
  runQuotaWarnings,
  sendQuotaWarning,
  reachedThreshold,
  QUOTA_WARNING_THRESHOLDS,
  type QuotaWarningThreshold,
} from "./quota-warnings";
export { usageEndpoint } from "./endpoints";
