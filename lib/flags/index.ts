export { FLAG_DEFINITIONS, FLAG_KEYS, isFlagKey, type FlagKey } from "./definitions";
export {
  listFlags,
  flagState,
  flagEnabled,
  setFlag,
  setFlagSchema,
  type SetFlagInput,
  resetFlagCache,
  FLAG_CACHE_MS,
  type FlagState,
} from "./flags";
