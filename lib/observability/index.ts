export { logger, sendLogsToStderr, type Logger } from "./logger";
export { runWithRequestContext, currentRequestId, type RequestContext } from "./request-context";
export { observeHttpRequest, countQuotaDecrement, routePattern, metrics } from "./metrics";
export { onServerRequest, takeServerRequests } from "./server-requests";
export { observePageRequests } from "./page-requests";
