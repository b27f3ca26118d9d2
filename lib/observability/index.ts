export { logger, sendLogsToStderr, type Logger } from "./logger";
export { checkReadiness, type Readiness, type CheckStatus } from "./readiness";
export { runWithRequestContext, currentRequestId, type RequestContext } from "./request-context";
export { observeHttpRequest, countQuotaDecrement, routePattern } from "./metrics";
export { assertMetricsToken, metricsExposition } from "./metrics-endpoint";
export { onServerRequest } from "./server-requests";
export { observePageRequests } from "./page-requests";
