import { sql, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { withSystem } from "@/db/tenant";
import {
  emailMessages,
  idempotencyKeys,
  jobEvents,
  jobRuns,
  noticeChanges,
  noticeVersions,
  outboxEvents,
  stripeEvents,
  usageEvents,
} from "@/db/schema";
import { env, type Env } from "@/lib/env";
import { IDEMPOTENCY_TTL_MS } from "@/lib/metering";

const DAY_MS = 86_400_000;
/** Stripe retries a delivery for 3 days and lists events for 30: an event id must outlive both. */
const MIN_STRIPE_EVENT_DAYS = 31;
/** Usage drift is computed from usage events of the current and the previous period. */
const MIN_USAGE_EVENT_DAYS = 62;
/** "What changed" e-mails look back a day for changes not yet mailed: history must outlive that. */
const MIN_NOTICE_HISTORY_DAYS = 2;

export interface RetentionOptions {
  now?: Date;
  /** Rows per DELETE statement: each batch is its own short transaction. */
  batchSize?: number;
  /** Upper bound on batches per table per run; the next run continues. */
  maxBatches?: number;
  config?: Env;
}

export interface RetentionRule {
  name: string;
  table: PgTable;
  idColumn: SQL;
  /** Rows old enough to go, given the run's clock. */
  expired: (now: Date, config: Env) => SQL;
}

const before = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS);

/**
 * What is deleted, and after how long. The audit log, subscriptions, credit packs and quotas
 * are never deleted here (billing totals stay); job runs go with their events.
 */
export const RETENTION_RULES: RetentionRule[] = [
  {
    name: "job_events",
    table: jobEvents,
    idColumn: sql`${jobEvents.id}`,
    expired: (now, c) => sql`${jobEvents.at} < ${before(now, c.RETENTION_JOB_EVENTS_DAYS)}`,
  },
  {
    name: "job_runs",
    table: jobRuns,
    idColumn: sql`${jobRuns.id}`,
    expired: (now, c) =>
      sql`${jobRuns.createdAt} < ${before(now, c.RETENTION_JOB_EVENTS_DAYS)} and ${jobRuns.status} in ('succeeded', 'failed', 'cancelled')`,
  },
  {
    name: "usage_events",
    table: usageEvents,
    idColumn: sql`${usageEvents.id}`,
    expired: (now, c) =>
      sql`${usageEvents.createdAt} < ${before(now, Math.max(c.RETENTION_USAGE_EVENTS_DAYS, MIN_USAGE_EVENT_DAYS))}`,
  },
  {
    name: "stripe_events",
    table: stripeEvents,
    idColumn: sql`${stripeEvents.id}`,
    // Only settled events: a failed one stays visible for an operator to re-process.
    expired: (now, c) =>
      sql`${stripeEvents.status} = 'processed' and ${stripeEvents.receivedAt} < ${before(now, Math.max(c.RETENTION_WEBHOOK_EVENTS_DAYS, MIN_STRIPE_EVENT_DAYS))}`,
  },
  {
    name: "outbox_events",
    table: outboxEvents,
    idColumn: sql`${outboxEvents.id}`,
    // Dead letters stay until an operator replays or discards them.
    expired: (now, c) =>
      sql`${outboxEvents.status} in ('delivered', 'discarded') and ${outboxEvents.updatedAt} < ${before(now, c.RETENTION_OUTBOX_DAYS)}`,
  },
  {
    name: "email_messages",
    table: emailMessages,
    idColumn: sql`${emailMessages.id}`,
    expired: (now, c) => sql`${emailMessages.createdAt} < ${before(now, c.RETENTION_OUTBOX_DAYS)}`,
  },
  {
    // A notice's earlier copies and its recorded changes (public data, no org's): the notice page's
    // History and the API's `changes` then start RETENTION_NOTICE_HISTORY_DAYS back.
    name: "notice_changes",
    table: noticeChanges,
    idColumn: sql`${noticeChanges.id}`,
    expired: (now, c) =>
      sql`${noticeChanges.detectedAt} < ${before(now, Math.max(c.RETENTION_NOTICE_HISTORY_DAYS, MIN_NOTICE_HISTORY_DAYS))}`,
  },
  {
    name: "notice_versions",
    table: noticeVersions,
    idColumn: sql`${noticeVersions.id}`,
    expired: (now, c) =>
      sql`${noticeVersions.supersededAt} < ${before(now, Math.max(c.RETENTION_NOTICE_HISTORY_DAYS, MIN_NOTICE_HISTORY_DAYS))}`,
  },
  {
    name: "idempotency_keys",
    table: idempotencyKeys,
    idColumn: sql`${idempotencyKeys.id}`,
    expired: (now) => sql`${idempotencyKeys.createdAt} < ${new Date(now.getTime() - IDEMPOTENCY_TTL_MS)}`,
  },
];

async function deleteBatch(rule: RetentionRule, now: Date, config: Env, batchSize: number): Promise<number> {
  // DELETE … WHERE id IN (SELECT … LIMIT n): bounded work and locks per statement.
  const result = await withSystem("retention", (tx) =>
    tx.execute(
      sql`delete from ${rule.table} where ${rule.idColumn} in (select ${rule.idColumn} from ${rule.table} where ${rule.expired(now, config)} limit ${batchSize})`,
    ),
  );
  return Number(
    (result as { rowCount?: number | null; affectedRows?: number }).rowCount ??
      (result as { affectedRows?: number }).affectedRows ??
      0,
  );
}

/** Deletes what is older than its `RETENTION_*_DAYS`, table by table, in bounded batches. */
export async function runRetention(options: RetentionOptions = {}) {
  const now = options.now ?? new Date();
  const config = options.config ?? env();
  const batchSize = options.batchSize ?? 1_000;
  const maxBatches = options.maxBatches ?? 500;
  const deleted: Record<string, number> = {};
  let complete = true;
  for (const rule of RETENTION_RULES) {
    let total = 0;
    let batches = 0;
    for (;;) {
      const n = await deleteBatch(rule, now, config, batchSize);
      total += n;
      batches++;
      if (n < batchSize) break;
      if (batches >= maxBatches) {
        complete = false;
        break;
      }
    }
    deleted[rule.name] = total;
  }
  return { deleted, complete };
}
