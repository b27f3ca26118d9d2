export { JobRunTracking, functionIdOf, cronOf } from "./middleware";
export { cronIntervalMs } from "./cron";
export { recordHeartbeat, listHeartbeats, staleHeartbeats, isStale, type HeartbeatState } from "./heartbeats";
export { runFunctionLocally, type LocalRunOptions, type LocalRunResult } from "./local-runner";
export { listJobRuns, getJobRun, type JobRun, type JobEvent, type JobRunQuery } from "./queries";
export { rerunJob, type RerunDeps, type RerunResult } from "./rerun";
export { SCHEDULED_EVENT_NAME, orgIdOf, type JobStatus, type JobTrigger } from "./runs";
export { jobRunListQuery, toJobRunQuery, encodeJobRunCursor, presentJobRun, presentJobEvent } from "./present";
export { jobRunStatusCounts, jobRunStats, JOB_STATUSES, type FunctionRunStats } from "./stats";
