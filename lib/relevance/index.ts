export {
  fitContexts,
  orgFitContext,
  markNotRelevant,
  unmarkNotRelevant,
  listNotRelevant,
  findNotRelevant,
  MAX_NOT_RELEVANT,
  type ApiNotRelevant,
  type ListedNotRelevant,
} from "./relevance";
export { relevanceReturnPath } from "./return-path";
export {
  searchOpportunitiesEndpoint,
  listNotRelevantEndpoint,
  markNotRelevantEndpoint,
  unmarkNotRelevantEndpoint,
} from "./endpoints";
