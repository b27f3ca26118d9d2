export { endpointRoute, endpointOfRoute } from "./route";
export { openApiDocument, problemsOf, type ApiInfo } from "./openapi";
export { PUBLIC_API, APP_API, openApiEndpoint, publicApiDocument } from "./catalogue";
export { endpointsBeforeNext, hotPathsBeforeNext } from "./serve-before-next";
