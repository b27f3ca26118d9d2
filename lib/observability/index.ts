export { logger, type Logger } from "./logger";
export { checkReadiness, type Readiness, type CheckStatus } from "./readiness";
