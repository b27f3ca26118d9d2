export {
  dashboardSummary,
  DEADLINE_HORIZON_DAYS,
  type DashboardSummary,
  type DashboardAlert,
  type DashboardDeadline,
} from "./summary";
