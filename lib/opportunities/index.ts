export { searchOpportunities, getOpportunity, countOpportunities, type OpportunityResult } from "./search";
export {
  opportunityQuerySchema,
  filtersFromQuery,
  opportunityWhere,
  keywordQuery,
  naicsFilterSchema,
  stateSchema,
  setAsideSchema,
  keywordQuerySchema,
  type OpportunityFilters,
  type OpportunityQuery,
} from "./filters";
export { searchNaicsCodes, naicsTitles, naicsPrefixes, naicsSector, matchingNaicsFilter, RANGE_SECTORS, NAICS_FILTER_PATTERN } from "./naics";
export { escapeHtml, toHighlightHtml } from "./highlight";
export * from "./ingest";
export { loadNaicsCodes, readNaicsCodes, naicsLevel, NAICS_CODES_FILE } from "./naics-data";
