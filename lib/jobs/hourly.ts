import { sql } from "drizzle-orm";
import { asSystem, type OperatorActor, type ServiceContext } from "@/lib/context";

export interface HourlyJobBucket {
  /** Start of the UTC hour. */
  hour: Date;
  succeeded: number;
  failed: number;
  /** Median / 95th percentile duration of the runs that finished in the hour; null if none. */
  p50Ms: number | null;
  p95Ms: number | null;
}

/**
 * Runs that finished (succeeded or failed) per UTC hour over the last 24 hours: 24 buckets, the
 * last one being the current, partial hour. Cancelled runs (operator cancels, paused ticks) are
 * not outcomes of the work and are left out, as in the failure-rate alert.
 */
export async function hourlyJobOutcomes(ctx: ServiceContext<OperatorActor>): Promise<HourlyJobBucket[]> {
  const now = ctx.now();
  const currentHour = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000);
  const first = new Date(currentHour.getTime() - 23 * 3_600_000);
  const result = await asSystem(ctx, "ops-cockpit").transaction((tx) =>
    tx.execute<{
      hour: string | Date;
      succeeded: number | string;
      failed: number | string;
      p50: number | string | null;
      p95: number | string | null;
    }>(sql`
    select h.hour,
      count(r.id) filter (where r.status = 'succeeded') as succeeded,
      count(r.id) filter (where r.status = 'failed') as failed,
      percentile_cont(0.5) within group (order by r.duration_ms) as p50,
      percentile_cont(0.95) within group (order by r.duration_ms) as p95
    from generate_series(${first.toISOString()}::timestamptz, ${currentHour.toISOString()}::timestamptz, interval '1 hour') as h(hour)
    left join job_runs r
      on r.status in ('succeeded', 'failed')
      and r.finished_at >= h.hour and r.finished_at < h.hour + interval '1 hour'
      and r.finished_at <= ${now.toISOString()}::timestamptz
    group by h.hour
    order by h.hour
  `),
  );
  const ms = (v: number | string | null) => (v === null ? null : Math.round(Number(v)));
  return result.rows.map((r) => ({
    hour: new Date(r.hour),
    succeeded: Number(r.succeeded),
    failed: Number(r.failed),
    p50Ms: ms(r.p50),
    p95Ms: ms(r.p95),
  }));
}
