import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { withSystem } from "@/db/tenant";
import { digestWindowEnd, runDueDigests } from "@/lib/alerts";
import { systemActor, systemContext } from "@/lib/context";
import { importBundledOpportunities } from "@/lib/opportunities/ingest";
import { createBenchDatabase, ownerExecute, printTable } from "./bench-database";

const DAY_MS = 24 * 3600_000;

/**
 * Alert digests: a full pass of 10,000 daily alerts against a fixed window of NEW opportunities,
 * with the total table at 10k, 100k and 1M rows. If the pass is driven by the window (as it
 * must be), the time stays flat as the total grows; the printed ratios show it.
 */
export async function runAlertsBenchmark(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      sizes: { type: "string", default: process.env.BENCH_ALERTS_SIZES ?? "10000,100000,1000000" },
      alerts: { type: "string", default: "10000" },
      window: { type: "string", default: "1000" },
    },
    strict: true,
  });
  const sizes = values.sizes.split(",").map(Number);
  const alertCount = Number(values.alerts);
  const windowCount = Number(values.window);

  const bench = await createBenchDatabase("beacon_bench_alerts");
  try {
    const now = new Date();
    // Exactly one day's window is due for every alert.
    const windowStart = new Date(digestWindowEnd(now).getTime() - DAY_MS);
    const old = new Date(windowStart.getTime() - 30 * DAY_MS);
    await importBundledOpportunities();
    // The 901 real notices are the template every generated row is copied from.
    await ownerExecute(
      sql`create table bench_template as select row_number() over (order by id) - 1 as rn, * from opportunities`,
    );
    await ownerExecute(sql`delete from opportunities`);
    const templates = Number(
      (await ownerExecute<{ n: string }>(sql`select count(*)::text as n from bench_template`)).rows[0]!.n,
    );
    await createAlerts(alertCount, windowStart);

    const results: { total: number; seconds: number; digests: number; emails: number }[] = [];
    let oldRows = 0;
    for (const total of sizes) {
      const target = Math.max(total - windowCount, 0);
      if (target > oldRows) await copyTemplates(oldRows + 1, target - oldRows, templates, old, "old");
      oldRows = target;
      await ownerExecute(sql`delete from opportunities where source = 'bench-new'`);
      await copyTemplates(1, windowCount, templates, new Date(now.getTime() - DAY_MS / 2), "new");
      await withSystem("seed", async (tx) => {
        await tx.execute(sql`delete from alert_digests`);
        await tx.execute(sql`delete from outbox_events`);
        await tx.execute(sql`delete from email_messages`);
        await tx.execute(sql`update alerts set last_window_end = ${windowStart.toISOString()}::timestamptz`);
      });
      await ownerExecute(sql`analyze`);
      const started = performance.now();
      const summary = await runDueDigests(systemContext(systemActor("digest-fanout"), { now: () => now }));
      const seconds = (performance.now() - started) / 1000;
      if (summary.digests !== alertCount)
        throw new Error(`expected ${alertCount} digests, the pass recorded ${summary.digests}`);
      results.push({ total, seconds, digests: summary.digests, emails: summary.emails });
      console.error(`  total ${total.toLocaleString("en-US")}: ${seconds.toFixed(1)} s`);
    }
    const baseline = results[0]!.seconds;
    printTable(
      `Alert digests: ${alertCount.toLocaleString("en-US")} alerts, ${windowCount.toLocaleString("en-US")} new opportunities in the window`,
      ["opportunities", "seconds", "× smallest", "digests", "e-mails", "under 60 s"],
      results.map((r) => [
        r.total.toLocaleString("en-US"),
        r.seconds.toFixed(2),
        (r.seconds / baseline).toFixed(2),
        r.digests,
        r.emails,
        r.seconds < 60 ? "yes" : "NO",
      ]),
    );
    console.log(
      JSON.stringify({
        bench: "alerts",
        alerts: alertCount,
        window: windowCount,
        results: results.map((r) => ({ ...r, ratio: r.seconds / baseline })),
      }),
    );
    const largest = results.at(-1)!;
    return {
      headline: `${largest.total.toLocaleString("en-US")} opportunities: ${largest.seconds.toFixed(1)} s, ${(largest.seconds / baseline).toFixed(2)}× the smallest`,
    };
  } finally {
    await bench.drop();
  }
}

/** Inserts `count` copies of the real notices, posted and ingested at `at`, in batches. */
async function copyTemplates(first: number, count: number, templates: number, at: Date, kind: "old" | "new") {
  const batch = 50_000;
  for (let done = 0; done < count; done += batch) {
    const size = Math.min(batch, count - done);
    const from = first + done;
    await ownerExecute(sql`
      insert into opportunities (notice_id, title, solicitation_number, agency_path, type, naics_code, set_aside_code, set_aside_description,
        posted_at, response_deadline, pop_state, description, description_excerpt, source, raw, created_at, updated_at)
      select t.notice_id || '-' || ${kind} || g, t.title, t.solicitation_number, t.agency_path, t.type, t.naics_code, t.set_aside_code, t.set_aside_description,
        ${at.toISOString()}::timestamptz - (g % 600) * interval '1 minute', t.response_deadline, t.pop_state, left(t.description, 600), t.description_excerpt,
        ${`bench-${kind}`}, '{}'::jsonb, ${at.toISOString()}::timestamptz - (g % 600) * interval '1 minute', now()
      from generate_series(${from}::int, ${from + size - 1}::int) g
      join bench_template t on t.rn = g % ${templates}`);
  }
}

/**
 * 10,000 daily alerts shaped like real ones: a 4-digit NAICS prefix, often a keyword, sometimes a
 * state; their orgs with business profiles (three keywords, two set-asides, three states).
 */
async function createAlerts(count: number, lastWindowEnd: Date) {
  const orgs = Math.max(1, Math.ceil(count / 10));
  await withSystem("seed", (tx) =>
    tx.execute(
      sql`insert into organizations (name, plan) select 'Bench org ' || g, 'pro' from generate_series(1, ${orgs}::int) g`,
    ),
  );
  await withSystem("seed", (tx) =>
    tx.execute(sql`
    with orgs as (select id, row_number() over (order by id) - 1 as rn from organizations),
    words as (
      select array_agg(word) as list from (
        select distinct lower(w) as word from bench_template, regexp_split_to_table(title, '[^A-Za-z]+') w where length(w) >= 6
      ) x
    )
    insert into alerts (org_id, name, frequency, q, naics, states, delivery_email, last_window_end)
    select o.id, 'Alert ' || g, 'daily',
      case when g % 2 = 0 then (select list[1 + (g * 7919) % array_length(list, 1)] from words) end,
      case when t.naics_code is not null then array[left(t.naics_code, 4)] else '{}'::text[] end,
      case when g % 3 = 0 and t.pop_state is not null then array[t.pop_state] else '{}'::text[] end,
      'alerts+' || g || '@bench.test', ${lastWindowEnd.toISOString()}::timestamptz
    from generate_series(1, ${count}::int) g
    join orgs o on o.rn = g % ${orgs}
    join bench_template t on t.rn = (g * 31) % (select count(*) from bench_template)`),
  );
  // Every org has a business profile, so each digest pays for the whole fit score (keywords
  // scanned in titles and descriptions, set-asides, places), as real orgs do after onboarding.
  await withSystem("seed", (tx) =>
    tx.execute(sql`
    with words as (
      select array_agg(word) as list from (
        select distinct lower(w) as word from bench_template, regexp_split_to_table(title, '[^A-Za-z]+') w where length(w) >= 6
      ) x
    )
    insert into business_profiles (org_id, company_name, naics_codes, keywords, set_asides, states)
    select o.id, o.name, array[left(t.naics_code, 4), t.naics_code],
      array[w.list[1 + (o.rn * 7919) % array_length(w.list, 1)], w.list[1 + (o.rn * 104729) % array_length(w.list, 1)], 'maintenance'],
      array['SBA', 'SDVOSBC'], array['VA', 'CA', 'TX']
    from (select id, name, row_number() over (order by id) - 1 as rn from organizations) o
    cross join words w
    join bench_template t on t.rn = (o.rn * 17) % (select count(*) from bench_template)
    where t.naics_code is not null
    on conflict do nothing`),
  );
}
