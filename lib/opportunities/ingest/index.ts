export {
  normalizeCsvRecord,
  normalizeApiRecord,
  descriptionExcerptOf,
  SET_ASIDE_LABELS,
  type NewOpportunity,
  type NormalizeResult,
  type Rejection,
  type RejectionReason,
  type OpportunitySource,
} from "./normalize";
export { parseSamTimestamp, samCalendarDate } from "./sam-dates";
export { upsertOpportunities, UPSERT_BATCH_SIZE, type UpsertCounts } from "./upsert";
export { importOpportunitiesCsv, FILE_SOURCE, type ImportCounts, type ImportOptions } from "./csv-import";
export {
  importOpportunitiesJson,
  importBundledOpportunities,
  importOpportunitiesFile,
  readOpportunitiesJson,
  BUNDLED_OPPORTUNITIES_FILE,
} from "./file-import";
export {
  releaseSnapshotBatch,
  snapshotNotices,
  SNAPSHOT_SOURCE,
  SNAPSHOT_SEEDED,
  SNAPSHOT_BATCH,
  type SnapshotRelease,
} from "./snapshot-replay";
export { DEMO_AMENDMENTS, type DemoAmendment } from "./demo-amendments";
export {
  ingestFromSam,
  SamApiError,
  SAM_API_SOURCE,
  type IngestFromSamOptions,
  type SamIngestResult,
} from "./sam-client";
export { noticeIdsCreatedBetween, ingestedThrough } from "./ingested-notices";
export { OPPORTUNITIES_INGESTED, announceIngested, lockIngestion, storeIngestedBatch } from "./announce";
