export {
  searchOpportunities,
  soonestDeadlines,
  getOpportunity,
  countOpportunities,
  rankOpportunities,
  type OpportunityResult,
  type OpportunityDetail,
  type OpportunityVersion,
  type ExplainAgainst,
  type OpportunityPreferences,
} from "./search";
export {
  opportunityFeed,
  SNAPSHOT_DATE,
  SNAPSHOT_LABEL,
  SNAPSHOT_REFERENCE_DATE,
  type OpportunityFeed,
} from "./snapshot";
export { changesOfNotice, describeChange, attachmentName, type NoticeChange } from "./changes";
export { NOTICE_STATUSES, daysLeft, type NoticeStatus } from "./status";
export {
  readableAgencyPath,
  readableAgencyName,
  descriptionParagraphs,
  readablePhone,
  AGENCY_SEPARATOR,
} from "./readable";
export type { NoticeContact } from "@/db/schema";
export {
  opportunityQuerySchema,
  filtersFromQuery,
  opportunityWhere,
  keywordQuery,
  naicsFilterSchema,
  stateSchema,
  setAsideSchema,
  keywordQuerySchema,
  STATUS_FILTER_VALUES,
  SEARCH_SORTS,
  type SearchSort,
  type StatusFilterValue,
  type OpportunityFilters,
  type OpportunityQuery,
} from "./filters";
export {
  searchNaicsCodes,
  naicsTitles,
  naicsPrefixes,
  naicsSector,
  matchingNaicsFilter,
  RANGE_SECTORS,
  NAICS_FILTER_PATTERN,
} from "./naics";
export { escapeHtml, toHighlightHtml } from "./highlight";
export * from "./ingest";
export { loadNaicsCodes, readNaicsCodes, naicsLevel, NAICS_CODES_FILE } from "./naics-data";
export {
  fitOf,
  fitScoreSql,
  fitScoringName,
  keywordText,
  keywordWords,
  wordsSql,
  FIT_POINTS,
  NOTICE_TYPE_POINTS,
  DESCRIPTION_SCAN,
  type Fit,
  type FitContext,
  type FitInput,
  type FitProfile,
  type NotRelevantMark,
} from "./fit";
export { requireFitProfile } from "./fit-scoring";
export { opportunitySchema, opportunityDetailSchema, getOpportunityEndpoint, naicsLookupEndpoint } from "./endpoints";
