import { sql } from "drizzle-orm";
import { systemAccess, tenantIsolation } from "./tenant-policy";
import {
  bigint,
  bigserial,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/**
 * One row per Inngest run (or CLI run of a function body), written by the run-tracking
 * middleware only. `run_id` is Inngest's run id (CLI runs get a generated one). Operator table:
 * RLS on with no tenant policy.
 */
export const jobRuns = pgTable(
  "job_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    functionId: text("function_id").notNull(),
    runId: text("run_id").notNull(),
    /** event | cron | cli | rerun */
    trigger: text("trigger").notNull().default("event"),
    eventName: text("event_name"),
    eventId: text("event_id"),
    eventPayload: jsonb("event_payload").$type<Record<string, unknown>>(),
    orgId: uuid("org_id"),
    /** queued | running | succeeded | failed | retrying | cancelled */
    status: text("status").notNull().default("queued"),
    attempt: integer("attempt").notNull().default(0),
    startedAt: ts("started_at"),
    finishedAt: ts("finished_at"),
    durationMs: integer("duration_ms"),
    error: text("error"),
    output: jsonb("output").$type<unknown>(),
    /** The run this one re-ran (operator re-run). */
    rerunOf: uuid("rerun_of").references((): AnyPgColumn => jobRuns.id, { onDelete: "set null" }),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    check(
      "job_runs_status_valid",
      sql`${t.status} in ('queued', 'running', 'succeeded', 'failed', 'retrying', 'cancelled')`,
    ),
    uniqueIndex("job_runs_run_idx").on(t.runId),
    index("job_runs_function_idx").on(t.functionId, t.createdAt),
    index("job_runs_status_idx").on(t.status, t.createdAt),
    index("job_runs_org_idx").on(t.orgId, t.createdAt),
    index("job_runs_created_idx").on(t.createdAt),
    tenantIsolation(t.orgId),
    systemAccess(),
  ],
).enableRLS();

/** Step-level trail of a run: started / finished / failed, with durations and errors, per attempt. */
export const jobEvents = pgTable(
  "job_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    jobRunId: uuid("job_run_id")
      .notNull()
      .references(() => jobRuns.id, { onDelete: "cascade" }),
    /** run.started | run.finished | run.failed | step.started | step.finished | step.failed */
    kind: text("kind").notNull(),
    stepId: text("step_id"),
    attempt: integer("attempt").notNull().default(0),
    at: ts("at").notNull().defaultNow(),
    /** Insertion order: breaks ties between events of the same millisecond (a fast step's start and end). */
    seq: bigserial("seq", { mode: "number" }).notNull(),
    durationMs: integer("duration_ms"),
    error: text("error"),
  },
  (t) => [index("job_events_run_idx").on(t.jobRunId, t.at), index("job_events_at_idx").on(t.at), systemAccess()],
).enableRLS();

/** Last success of each scheduled function, for stale-heartbeat checks in readiness and the cockpit. */
export const jobHeartbeats = pgTable(
  "job_heartbeats",
  {
    functionId: text("function_id").primaryKey(),
    lastSuccessAt: ts("last_success_at").notNull(),
    lastRunId: text("last_run_id"),
    /** Expected interval: a heartbeat older than 2× this is stale. A month is past int4 in ms. */
    expectedEveryMs: bigint("expected_every_ms", { mode: "number" }).notNull(),
    /** Operator pause of a scheduled function (cockpit). */
    pausedAt: ts("paused_at"),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  () => [systemAccess()],
).enableRLS();

/**
 * The scheduled functions a deployment serves, and since when: a function that has never
 * succeeded has no heartbeat, and this is what lets it be reported ("never ran") once two of its
 * intervals have passed since it was first registered, instead of looking healthy forever.
 */
export const jobSchedules = pgTable(
  "job_schedules",
  {
    functionId: text("function_id").primaryKey(),
    expectedEveryMs: bigint("expected_every_ms", { mode: "number" }).notNull(),
    /** First time any process registered this function: kept across restarts and deploys. */
    registeredAt: ts("registered_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  () => [systemAccess()],
).enableRLS();
