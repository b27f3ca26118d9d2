export { JobRunTracking, functionIdOf, cronOf } from "./middleware";
export { cronIntervalMs } from "./cron";
export { recordHeartbeat } from "./heartbeats";
export {
  heartbeatHealth,
  heartbeatStatus,
  registerSchedules,
  staleHeartbeats,
  STALE_AFTER_INTERVALS,
  type HeartbeatHealth,
  type HeartbeatStatus,
} from "./heartbeat-health";
export { runFunctionLocally, type LocalRunOptions, type LocalRunResult } from "./local-runner";
export { listJobRuns, getJobRun, type JobRun, type JobEvent, type JobRunQuery } from "./queries";
export { rerunJob, type RerunDeps, type RerunResult } from "./rerun";
export { rerunnableIdempotency, rerunRefusal, RERUN_MARKER } from "./idempotency";
export { SCHEDULED_EVENT_NAME, orgIdOf, type JobStatus, type JobTrigger } from "./runs";
export { jobRunListQuery, toJobRunQuery, encodeJobRunCursor, presentJobRun, presentJobEvent } from "./present";
export { jobRunStatusCounts, jobRunStats, JOB_STATUSES, type FunctionRunStats } from "./stats";
export { countJobRuns } from "./queries";
export { bulkRerunJobs, bulkRerunBody, BULK_RERUN_CAP, type BulkRerunResult } from "./bulk-rerun";
export {
  jobRunFilterSchema,
  jobRunFilterFrom,
  toJobRunFilter,
  JOB_RUN_FILTER_KEYS,
  type JobRunFilter,
  type JobRunFilterInput,
} from "./run-filter";
export {
  cancelJobRun,
  cancelRefusal,
  functionIsCancellable,
  CANCEL_EVENT_NAME,
  OPERATOR_CANCEL_ON,
  type CancelDeps,
} from "./cancel";
export { guardInngestHandler } from "./serve-guard";
export { pauseFunction, resumeFunction, pausedFunctions, type PauseDeps } from "./pause";
export { hourlyJobOutcomes, type HourlyJobBucket } from "./hourly";
export {
  backgroundExecutor,
  recordBackgroundExecutor,
  type BackgroundExecutorStatus,
  type BackgroundExecutorKind,
} from "./background-executor";
export {
  LocalExecutor,
  LocalExecutorRefusedError,
  activeLocalExecutor,
  LocalEventDispatch,
  type LocalExecutorOptions,
} from "./local-executor";
