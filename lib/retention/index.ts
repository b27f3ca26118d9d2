export { runRetention, RETENTION_RULES, type RetentionOptions, type RetentionRule } from "./cleanup";
export {
  buildExportBundle,
  EXPORT_COVERAGE,
  EXPORT_FORMAT_VERSION,
  EXPORT_USAGE_MONTHS,
  type ExportBundle,
} from "./export-bundle";
export {
  anonymiseOrg,
  assertNoLiveSubscription,
  deletedOrgName,
  LIVE_SUBSCRIPTION_STATUSES,
  type DeletionCounts,
} from "./deletion";
export { DATA_SETTINGS_PATH } from "./export-ready-email";
export {
  listOwnDataRequests,
  getOwnDataRequest,
  requestOwnExport,
  requestOwnDeletion,
  requestOwnData,
  ownExportBundle,
  toDataRequestView,
  type DataRequestView,
} from "./member-requests";
export {
  requestDataExport,
  requestDataDeletion,
  processDataRequest,
  processPendingDataRequests,
  retryDataRequest,
  requestAndBuildExport,
  deletionRequestedEvent,
  pendingDataRequest,
  getDataRequest,
  listDataRequests,
  formatRequester,
  requesterActor,
  type DataRequest,
  type DataRequestKind,
  type DataRequestEvent,
  type DataRequester,
  type DataRequestActor,
  type DataRequestContext,
  type DataRequestWorkContext,
  type ProcessOutcome,
} from "./data-requests";
export { dataRequestInputSchema, type DataRequestInput } from "./schemas";
export {
  listDataRequestsEndpoint,
  requestDataEndpoint,
  getDataRequestEndpoint,
  downloadExportEndpoint,
} from "./endpoints";
