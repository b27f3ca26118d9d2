export { platformCounts, type PlatformCounts } from "./platform-counts";
export { maskEmail } from "./mask";
