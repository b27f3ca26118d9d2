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

const DAY_MS = 86_400_000;

/**
 * Firings are the same minutes of the day on every matching day (UTC has no DST), so the longest
 * gap is either the longest within a day or one from a matching day's last firing to the next
 * matching day's first: one step per day, not per minute (a minute-by-minute scan of 400 days
 * cost seconds of CPU under Next.js, whose server wraps `Date`).
 */
function scanIntervalMs(expression: string): number {
  const cron = parseCron(expression);
  const ascending = (values: Set<number>) => [...values].sort((a, b) => a - b);
  const minutesOfDay = ascending(cron.hours).flatMap((h) => ascending(cron.minutes).map((m) => h * 60 + m));
  let longestWithinDay = 0;
  for (let i = 1; i < minutesOfDay.length; i++)
    longestWithinDay = Math.max(longestWithinDay, (minutesOfDay[i]! - minutesOfDay[i - 1]!) * 60_000);

  const start = Date.UTC(2025, 0, 1);
  let firings = 0;
  let longest = 0;
  let previousLast: number | null = null;
  for (let day = 0; day < 400; day++) {
    const dayStart = start + day * DAY_MS;
    const d = new Date(dayStart);
    if (!cron.months.has(d.getUTCMonth() + 1) || !dayMatches(cron, d)) continue;
    if (previousLast !== null) longest = Math.max(longest, dayStart + minutesOfDay[0]! * 60_000 - previousLast);
    longest = Math.max(longest, longestWithinDay);
    previousLast = dayStart + minutesOfDay[minutesOfDay.length - 1]! * 60_000;
    firings += minutesOfDay.length;
  }
  if (firings < 2) throw new Error(`Cron expression "${expression}" does not fire at least twice a year`);
  return longest;
}
