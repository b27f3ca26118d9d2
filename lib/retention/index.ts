export { runRetention, RETENTION_RULES, type RetentionOptions, type RetentionRule } from "./cleanup";
export { buildExportBundle, EXPORT_COVERAGE, EXPORT_FORMAT_VERSION, EXPORT_USAGE_MONTHS, type ExportBundle } from "./export-bundle";
export { anonymiseOrg, deletedOrgName, LIVE_SUBSCRIPTION_STATUSES, type DeletionCounts } from "./deletion";
export {
  requestDataExport,
  requestDataDeletion,
  processDataRequest,
  processPendingDataRequests,
  retryDataRequest,
  pendingDataRequest,
  getDataRequest,
  listDataRequests,
  formatRequester,
  requesterActor,
  type DataRequest,
  type DataRequestKind,
  type DataRequester,
  type ProcessOutcome,
} from "./data-requests";
