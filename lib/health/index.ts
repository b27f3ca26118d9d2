// What readiness (/api/readyz) and the metrics endpoint (/api/metrics) report: a capability above
// the ones it reads (jobs' heartbeats, the outbox, Stripe events, migrations), so none of them
// depends on it.
export { checkReadiness, type Readiness, type CheckStatus } from "./readiness";
export { assertMetricsToken, metricsExposition } from "./metrics-endpoint";
export { registerDatabaseCollectors } from "./database-metrics";
