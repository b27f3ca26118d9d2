import type { OpsOverview } from "@/lib/ops";

type Bucket = OpsOverview["jobs_last_24h"][number];

const W = 720;
const BAR_GAP = 4;
const OUTCOME_H = 140;
const DURATION_H = 70;
const AXIS = 18;

const hourLabel = (iso: string) => iso.slice(11, 13);
const ms = (v: number | null) => (v === null ? "—" : v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${v} ms`);

/**
 * Job outcomes and durations per hour as plain SVG rendered on the server (no chart library and
 * no client JavaScript: the cockpit's first-load bundle stays small; it is current as of the page
 * load, while the tiles above refresh live). Accessible: each chart has a title and a description with the totals,
 * every bar a <title> with its numbers, and the same numbers are in a table below.
 */
export function JobsChart({ buckets }: { buckets: Bucket[] }) {
  const slot = W / Math.max(buckets.length, 1);
  const barW = Math.max(slot - BAR_GAP, 1);
  const maxRuns = Math.max(1, ...buckets.map((b) => b.succeeded + b.failed));
  const maxP95 = Math.max(1, ...buckets.map((b) => b.p95_ms ?? 0));
  const succeeded = buckets.reduce((a, b) => a + b.succeeded, 0);
  const failed = buckets.reduce((a, b) => a + b.failed, 0);
  const worst = buckets.reduce<Bucket | null>(
    (w, b) => (b.p95_ms !== null && (w === null || (w.p95_ms ?? 0) < b.p95_ms) ? b : w),
    null,
  );
  return (
    <figure className="mb-6 rounded-lg bg-white p-4 ring-1 ring-slate-200" data-testid="jobs-chart">
      <svg
        viewBox={`0 0 ${W} ${OUTCOME_H + AXIS}`}
        className="h-auto w-full"
        role="img"
        aria-labelledby="jobs-outcomes-title jobs-outcomes-desc"
      >
        <title id="jobs-outcomes-title">Job runs finished per hour, last 24 hours</title>
        <desc id="jobs-outcomes-desc">{`${succeeded} succeeded and ${failed} failed in 24 hourly bars; green is succeeded, red is failed.`}</desc>
        {buckets.map((b, i) => {
          const x = i * slot + BAR_GAP / 2;
          const okH = (b.succeeded / maxRuns) * OUTCOME_H;
          const failH = (b.failed / maxRuns) * OUTCOME_H;
          return (
            <g key={b.hour}>
              <title>{`${hourLabel(b.hour)}:00 UTC — ${b.succeeded} succeeded, ${b.failed} failed`}</title>
              <rect x={x} y={OUTCOME_H - okH} width={barW} height={okH} className="fill-emerald-500" />
              <rect x={x} y={OUTCOME_H - okH - failH} width={barW} height={failH} className="fill-red-500" />
              {i % 3 === 0 ? (
                <text x={x + barW / 2} y={OUTCOME_H + 13} textAnchor="middle" className="fill-slate-500 text-[10px]">
                  {hourLabel(b.hour)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <svg
        viewBox={`0 0 ${W} ${DURATION_H}`}
        className="mt-3 h-auto w-full"
        role="img"
        aria-labelledby="jobs-duration-title jobs-duration-desc"
      >
        <title id="jobs-duration-title">p95 run duration per hour, last 24 hours</title>
        <desc id="jobs-duration-desc">
          {worst ? `Slowest hour ${hourLabel(worst.hour)}:00 UTC with p95 ${ms(worst.p95_ms)}.` : "No finished runs."}
        </desc>
        {buckets.map((b, i) => {
          const h = ((b.p95_ms ?? 0) / maxP95) * DURATION_H;
          return (
            <rect
              key={b.hour}
              x={i * slot + BAR_GAP / 2}
              y={DURATION_H - h}
              width={barW}
              height={h}
              className="fill-indigo-400"
            >
              <title>{`${hourLabel(b.hour)}:00 UTC — p50 ${ms(b.p50_ms)}, p95 ${ms(b.p95_ms)}`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption className="mt-2 text-xs text-slate-600">
        <span className="mr-3 inline-block h-2 w-2 rounded-sm bg-emerald-500" aria-hidden /> succeeded{" "}
        <span className="ml-3 mr-1 inline-block h-2 w-2 rounded-sm bg-red-500" aria-hidden /> failed
        <span className="ml-3 mr-1 inline-block h-2 w-2 rounded-sm bg-indigo-400" aria-hidden /> p95 duration (hours in
        UTC)
      </figcaption>
      <details className="mt-2 text-sm">
        <summary className="cursor-pointer text-indigo-700">Numbers per hour</summary>
        <table className="mt-2 min-w-full text-left text-xs">
          <thead>
            <tr>
              <th className="px-2 py-1 font-medium">Hour (UTC)</th>
              <th className="px-2 py-1 text-right font-medium">Succeeded</th>
              <th className="px-2 py-1 text-right font-medium">Failed</th>
              <th className="px-2 py-1 text-right font-medium">p50</th>
              <th className="px-2 py-1 text-right font-medium">p95</th>
            </tr>
          </thead>
          <tbody>
            {buckets.map((b) => (
              <tr key={b.hour}>
                <td className="px-2 py-1">{b.hour.slice(0, 16).replace("T", " ")}</td>
                <td className="px-2 py-1 text-right tabular-nums">{b.succeeded}</td>
                <td className="px-2 py-1 text-right tabular-nums">{b.failed}</td>
                <td className="px-2 py-1 text-right tabular-nums">{ms(b.p50_ms)}</td>
                <td className="px-2 py-1 text-right tabular-nums">{ms(b.p95_ms)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
