/**
 * Every date Beacon shows, in one format, on the server and in the browser alike: UTC (so a
 * page renders the same text on both sides of hydration, and an operator and a customer talking
 * about the same moment see the same words), month spelled out so 04/05 is never ambiguous.
 */
const DATE = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });
const DATE_TIME = new Intl.DateTimeFormat("en-US", {
  dateStyle: "medium",
  timeStyle: "short",
  hourCycle: "h23",
  timeZone: "UTC",
});
const DATE_TIME_SECONDS = new Intl.DateTimeFormat("en-US", {
  dateStyle: "medium",
  timeStyle: "medium",
  hourCycle: "h23",
  timeZone: "UTC",
});
const TIME = new Intl.DateTimeFormat("en-US", { timeStyle: "medium", hourCycle: "h23", timeZone: "UTC" });
const TIME_MS = new Intl.DateTimeFormat("en-US", {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  fractionalSecondDigits: 3,
  hourCycle: "h23",
  timeZone: "UTC",
});

type DateLike = Date | string | number | null | undefined;

function toDate(value: DateLike): Date | null {
  if (value === null || value === undefined || value === "") return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "Apr 24, 2026"; `empty` when there is no (valid) date. */
export function formatDate(value: DateLike, empty = "—"): string {
  const date = toDate(value);
  return date ? DATE.format(date) : empty;
}

/** "Apr 24, 2026, 15:04 UTC" ("…15:04:09 UTC" with seconds, for logs an operator correlates). */
export function formatDateTime(value: DateLike, options: { seconds?: boolean; empty?: string } = {}): string {
  const date = toDate(value);
  if (!date) return options.empty ?? "—";
  return `${(options.seconds ? DATE_TIME_SECONDS : DATE_TIME).format(date)} UTC`;
}

/** "15:04:09 UTC" ("15:04:09.123 UTC"): a moment on a page that already names the day (a run's steps, a refresh). */
export function formatTime(value: DateLike, options: { milliseconds?: boolean; empty?: string } = {}): string {
  const date = toDate(value);
  if (!date) return options.empty ?? "—";
  return `${(options.milliseconds ? TIME_MS : TIME).format(date)} UTC`;
}
