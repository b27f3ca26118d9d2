export {
  fitContexts,
  orgFitContext,
  markNotRelevant,
  unmarkNotRelevant,
  MAX_NOT_RELEVANT,
  type ApiNotRelevant,
} from "./relevance";
