export { platformCounts, type PlatformCounts } from "./platform-counts";
export {
  listStripeEvents,
  stripeEventCounts,
  stripeEventTypes,
  STRIPE_EVENT_STATUSES,
  type StripeEventStatus,
  type StripeEventQuery,
} from "./stripe-events";
export {
  assertAdminWritable,
  adminReadOnly,
  incidentState,
  cockpitWriteState,
  breakGlassTokenFrom,
  type IncidentState,
  type AdminWriter,
  type OperatorAuditActor,
} from "./admin-writes";
export {
  startBreakGlass,
  endBreakGlass,
  findBreakGlassByToken,
  breakGlassActive,
  activeBreakGlassSessions,
  hashBreakGlassToken,
  startBreakGlassSchema,
  BREAK_GLASS_HEADER,
  BREAK_GLASS_COOKIE,
  type BreakGlassSession,
} from "./break-glass";
export {
  runOpsAlertDetector,
  detectOpsConditions,
  listOpsAlerts,
  OPS_ALERT_KINDS,
  OPS_ALERT_SEVERITY,
  OPS_THRESHOLDS,
  OPS_ALERTS_FUNCTION_ID,
  type OpsAlertKind,
  type OpsFinding,
} from "./alerts";
export { healthSummary } from "./health-summary";
export {
  customerDetail,
  exportCustomer,
  runCustomerAction,
  hardDeleteCustomer,
  type CustomerAction,
} from "./customers";
export {
  customerTimeline,
  TIMELINE_KINDS,
  CUSTOMER_ACTIVITY_KINDS,
  type TimelineEntry,
  type TimelineKind,
} from "./timeline";
export {
  searchCustomers,
  customerSegmentCounts,
  CUSTOMER_SEGMENTS,
  type CustomerSegment,
  type CustomerSearch,
} from "./customer-search";
export { presentOutboxRow, presentOutboxCircuit } from "./dead-letter-view";
export {
  exportAccountingCsv,
  accountingQuerySchema,
  accountingFilename,
  ACCOUNTING_COLUMNS,
  type AccountingRange,
} from "./accounting-export";
export { neutraliseCell, toSafeCsv } from "./csv-safe";
export { businessMetrics, CHURN_WINDOW_DAYS, FUNNEL_WINDOW_DAYS, type BusinessMetrics } from "./business-metrics";
export { opsOverview, type OpsOverview } from "./overview";
export { integrationStatus, type IntegrationStatus, type IntegrationState } from "./integrations";
export { listRecentEmails } from "./emails";
