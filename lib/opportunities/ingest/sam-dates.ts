/**
 * SAM.gov writes time stamps in several shapes: "2026-04-24 23:24:04.649-04" (CSV extract, an
 * offset without minutes that `new Date` does not parse everywhere), "2026-05-01T16:30:00-07:00"
 * (deadlines), "2026-04-24" (API posted dates) and sometimes a date-time with no zone at all.
 *
 * Values without a zone are read as SAM.gov's own wall clock, US Eastern time (its time stamps
 * carry -04/-05), so a date-only posted date becomes the start of that day in Washington, not
 * UTC midnight (which would place it on the evening before in every US time zone).
 */

const SAM_TIME_ZONE = "America/New_York";

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

function daysInMonth(year: number, month: number) {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function validDate(year: number, month: number, day: number) {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Parses a SAM.gov time stamp to its UTC instant; null when it is not one. */
export function parseSamTimestamp(value: string | null | undefined): Date | null {
  if (!value) return null;
  const m = TIMESTAMP.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h = "0", mi = "0", s = "0", fraction = "", zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (!validDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return null;
  const millis = Number(fraction.slice(0, 3).padEnd(3, "0"));
  const wallClock = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  if (zone === undefined) return new Date(easternWallClockToUtc(wallClock));
  if (zone === "Z" || zone === "z") return new Date(wallClock);
  const sign = zone.startsWith("-") ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  const offsetHours = Number(digits.slice(0, 2));
  const offsetMinutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (offsetHours > 14 || offsetMinutes > 59) return null;
  return new Date(wallClock - sign * (offsetHours * 60 + offsetMinutes) * 60_000);
}

/** "YYYY-MM-DD" when the value starts with a real calendar date (a time part is ignored); else null. */
export function parseSamDate(value: string | null | undefined): string | null {
  if (!value) return null;
  const head = value.trim().slice(0, 10);
  const m = DATE_ONLY.exec(head);
  if (!m || !validDate(Number(m[1]), Number(m[2]), Number(m[3]))) return null;
  return head;
}

let easternFormat: Intl.DateTimeFormat | undefined;

/** The Eastern wall clock at a UTC instant, as milliseconds of a UTC date with that wall clock. */
function easternWallClock(utcMs: number): number {
  easternFormat ??= new Intl.DateTimeFormat("en-US", {
    timeZone: SAM_TIME_ZONE,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
  const parts: Record<string, number> = {};
  for (const part of easternFormat.formatToParts(new Date(utcMs))) parts[part.type] = Number(part.value);
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!, utcMs % 1000);
}

function easternWallClockToUtc(wallClock: number): number {
  // The offset at the guessed instant is right except within an hour of a DST change; a
  // second pass settles it (a wall-clock time skipped in spring resolves to the later offset).
  const firstGuess = wallClock - (easternWallClock(wallClock) - wallClock);
  return wallClock - (easternWallClock(firstGuess) - firstGuess);
}

/** The calendar date ("YYYY-MM-DD") in SAM.gov's time zone at an instant. */
export function samCalendarDate(at: Date): string {
  return new Date(easternWallClock(at.getTime())).toISOString().slice(0, 10);
}

/** Adds whole days to a "YYYY-MM-DD" date. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! + days)).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (both "YYYY-MM-DD"). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** "YYYY-MM-DD" → "MM/dd/yyyy", the only date format the Get Opportunities API accepts. */
export function toSamQueryDate(date: string): string {
  const [y, m, d] = date.split("-");
  return `${m}/${d}/${y}`;
}
