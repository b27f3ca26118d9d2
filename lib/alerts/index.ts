export {
  createAlert,
  listAlerts,
  getAlert,
  updateAlert,
  deleteAlert,
  alertUsage,
  toApiAlert,
  type AlertRow,
  type AlertWithChannels,
  type AlertAuthor,
  type ApiAlert,
  type AlertUsage,
} from "./alerts";
export {
  findDueAlerts,
  runAlertDigest,
  runDueDigests,
  runInstantAlerts,
  digestWindowEnd,
  DIGEST_BATCH_SIZE,
  type DigestResult,
  type DigestStatus,
  type DigestRunSummary,
  type InstantRunSummary,
} from "./digests";
export { DIGEST_CAP } from "./window-matches";
export { applyPlanToAlerts, applyPlansToAlerts } from "./plan-allowance";
export { PAUSE_REASON_TEXT, type AlertPauseReason } from "./rules";
export {
  renderDigestEmail,
  renderNothingNewEmail,
  type DigestEmailInput,
  type DigestOpportunity,
  type NothingNewEmailInput,
  type RenderedEmail,
} from "./digest-email";
export {
  createAlertSchema,
  updateAlertSchema,
  splitCodes,
  ALERT_FREQUENCIES,
  alertFrequencySchema,
  alertNameSchema,
  deliveryEmailSchema,
  type AlertFrequency,
  type CreateAlertInput,
  type UpdateAlertInput,
  type CreateAlertRequest,
  type UpdateAlertRequest,
} from "./schemas";
export { unsubscribeAlert, describeUnsubscribe, unsubscribeUrl, type UnsubscribeTarget } from "./unsubscribe";
export { unsubscribeConfirmPage, unsubscribedPage, page as unsubscribePageShell } from "./unsubscribe-page";
export { dailySummaryEnabled, setDailySummary } from "./summary-setting";
export { renderSummaryEmail, type SummaryEmailInput, type SummarySection } from "./summary-email";
export {
  alertBodySchema,
  listAlertsEndpoint,
  createAlertEndpoint,
  getAlertEndpoint,
  deleteAlertEndpoint,
  listOwnAlertsEndpoint,
  createOwnAlertEndpoint,
  updateOwnAlertEndpoint,
  deleteOwnAlertEndpoint,
} from "./endpoints";
