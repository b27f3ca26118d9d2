export { AppError, isAppError, PROBLEMS, type ProblemCode, type FieldError } from "./errors";
export { problemBody, problemResponse, appErrorResponse, PROBLEM_CONTENT_TYPE } from "./problem";
export { problemBodySchema } from "./problem-schema";
export { requestIdFrom, newRequestId } from "./request-id";
export {
  readBodyWithLimit,
  parseJsonBody,
  parseOptionalJsonBody,
  parseQuery,
  validate,
  fieldErrors,
  isJsonContentType,
  DEFAULT_BODY_LIMIT,
} from "./body";
export { runFormAction, formValues, IDLE, type FormState } from "./form-state";
export { oneClickUnsubscribeRoutes, type OneClickUnsubscribe } from "./one-click-unsubscribe";
export { route, errorResponse, notFound, type RouteContext, type Authenticator, type RouteResult } from "./route";
export { clientIpFrom, normalizeAddress } from "./client-ip";
export { encodeTimeCursor, decodeTimeCursor, nextTimeCursor, pageQuerySchema, type TimeCursor } from "./time-cursor";
export { clientAddressFrom } from "./client-ip";
export { adminNetworkAllowed, assertAdminNetwork, ADMIN_NETWORK_REFUSED } from "./admin-network";
export { parseCidr, parseCidrList, type Cidr } from "./cidr";
export { incomingRequest, pathPattern, REQUEST_PATH_HEADER, type IncomingRequest } from "./incoming-request";
export { recordSocketPeers, appendSocketPeer } from "./socket-peer";
export {
  defineEndpoint,
  attachment,
  pathParamNames,
  type Endpoint,
  type AnyEndpoint,
  type EndpointCall,
  type EndpointAnswer,
  type EndpointAuthKind,
  type EndpointMethod,
  type EndpointPrincipals,
  type EndpointContext,
  type EndpointContexts,
  type EndpointSuccess,
} from "./endpoint";
export {
  pathMatcher,
  toFetchRequest,
  sendFetchResponse,
  serveWithFetchHandler,
  acceptsGzip,
  type FetchHandler,
} from "./node-adapter";
export { routesTaker, serveBeforeNext, type RouteBeforeNext } from "./before-next";
export { SECURITY_HEADERS } from "./security-headers";
