/**
 * Just enough of cron to know how often a schedule fires: the longest gap between two firings
 * is the interval a heartbeat is expected within (stale at twice that). Five fields, UTC,
 * `*`, `N`, `A-B`, lists and `/step`; an optional `TZ=…` prefix is ignored (gaps do not depend
 * on the zone except around DST changes, which a 2× margin absorbs).
 */
const FIELDS = [
  { min: 0, max: 59 }, // minute
  { min: 0, max: 23 }, // hour
  { min: 1, max: 31 }, // day of month
  { min: 1, max: 12 }, // month
  { min: 0, max: 7 }, // day of week (0 and 7 are Sunday)
] as const;

function parseField(text: string, { min, max }: { min: number; max: number }): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(",")) {
    const [range, stepText] = part.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    let from = min;
    let to = max;
    if (range !== "*") {
      const [a, b] = range!.split("-");
      from = Number(a);
      to = b === undefined ? (stepText === undefined ? from : max) : Number(b);
    }
    if (![from, to, step].every(Number.isInteger) || step < 1 || from < min || to > max || from > to) {
      throw new Error(`Unsupported cron field "${text}"`);
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

const cache = new Map<string, number>();

/** Longest gap in ms between consecutive firings of `expression`, scanning 400 days from 2025-01-01 UTC. */
export function cronIntervalMs(expression: string): number {
  let ms = cache.get(expression);
  if (ms === undefined) {
    ms = scanIntervalMs(expression);
    cache.set(expression, ms);
  }
  return ms;
}

interface ParsedCron {
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  dayRestricted: boolean;
  weekdayRestricted: boolean;
}

function parseCron(expression: string): ParsedCron {
  const fields = expression
    .replace(/^(CRON_)?TZ=\S+\s+/, "")
    .trim()
    .split(/\s+/);
  if (fields.length !== 5) throw new Error(`Unsupported cron expression "${expression}" (five fields expected)`);
  const [minutes, hours, days, months, weekdays] = fields.map((f, i) => parseField(f, FIELDS[i]!));
  if (weekdays!.has(7)) weekdays!.add(0);
  // Standard cron: when both day fields are restricted, either may match.
  return {
    minutes: minutes!,
    hours: hours!,
    days: days!,
    months: months!,
    weekdays: weekdays!,
    dayRestricted: fields[2] !== "*",
    weekdayRestricted: fields[4] !== "*",
  };
}

function dayMatches(cron: ParsedCron, d: Date) {
  const dayMatch = cron.days.has(d.getUTCDate());
  const weekdayMatch = cron.weekdays.has(d.getUTCDay());
  return cron.dayRestricted && cron.weekdayRestricted ? dayMatch || weekdayMatch : dayMatch && weekdayMatch;
}

/** Whether `expression` fires in the UTC minute that contains `at`. */
export function cronFiresAt(expression: string, at: Date): boolean {
  const cron = parseCron(expression);
  return (
    cron.months.has(at.getUTCMonth() + 1) &&
    dayMatches(cron, at) &&
    cron.hours.has(at.getUTCHours()) &&
    cron.minutes.has(at.getUTCMinutes())
  );
}

function scanIntervalMs(expression: string): number {
  const cron = parseCron(expression);
  const start = Date.UTC(2025, 0, 1);
  const end = start + 400 * 86_400_000;
  let previous: number | null = null;
  let longest = 0;
  for (let t = start; t < end;) {
    const d = new Date(t);
    if (!cron.months.has(d.getUTCMonth() + 1)) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
      continue;
    }
    if (!dayMatches(cron, d)) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
      continue;
    }
    if (!cron.hours.has(d.getUTCHours())) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours() + 1);
      continue;
    }
    if (cron.minutes.has(d.getUTCMinutes())) {
      if (previous !== null) longest = Math.max(longest, t - previous);
      previous = t;
    }
    t += 60_000;
  }
  if (longest === 0) throw new Error(`Cron expression "${expression}" does not fire at least twice a year`);
  return longest;
}
