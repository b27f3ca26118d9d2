export { platformCounts, type PlatformCounts } from "./platform-counts";
