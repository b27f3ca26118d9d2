// What the root proxy.ts uses, apart from the index so that the proxy's bundle stays free of the
// logger and the database: the request id, the operator network guard and its Problem+JSON answer.
export { requestIdFrom } from "./request-id";
export { adminNetworkAllowed, ADMIN_NETWORK_REFUSED } from "./admin-network";
export { problemResponse } from "./problem";
export { REQUEST_PATH_HEADER } from "./incoming-request";
