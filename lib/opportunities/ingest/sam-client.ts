import { eq } from "drizzle-orm";
import { db, type DbOrTx } from "@/db/client";
import { ingestionCursors } from "@/db/schema";
import { AppError } from "@/lib/http";
import { deliverOutboxNow } from "@/lib/outbox";
import { announceIngested, lockIngestion } from "./announce";
import { normalizeApiRecord, type NewOpportunity } from "./normalize";
import { addDays, daysBetween, samCalendarDate, toSamQueryDate } from "./sam-dates";
import { upsertOpportunities } from "./upsert";

/**
 * SAM.gov Get Opportunities v2 (`GET …/opportunities/v2/search?api_key&postedFrom&postedTo&limit&offset`).
 * Each page is upserted together with the `ingestion_cursors` row for 'sam_api' in one
 * transaction, so a run that fails or is killed resumes at the first page it did not store.
 */

export const SAM_API_SOURCE = "sam_api";
export const SAM_MAX_PAGE_SIZE = 1000;
/** The API refuses a posted-date range longer than a year. */
const MAX_WINDOW_DAYS = 364;

export interface IngestFromSamOptions {
  baseUrl: string;
  apiKey: string;
  /** "YYYY-MM-DD". Default: the end of the last finished window (or yesterday). */
  postedFrom?: string;
  /** "YYYY-MM-DD". Default: today in SAM.gov's time zone (US Eastern). */
  postedTo?: string;
  /** Records per request, at most 1000 (the API's maximum). */
  pageSize?: number;
  /** Requests per page before giving up (429, 5xx, network errors and unreadable bodies are retried). */
  maxAttempts?: number;
  /** A Retry-After longer than this is not waited out: the run stops and resumes later. */
  maxRetryAfterMs?: number;
  requestTimeoutMs?: number;
  fetchImpl?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** In [0, 1): the jitter source. */
  random?: () => number;
  now?: Date | (() => Date);
}

export interface SamIngestResult {
  inserted: number;
  updated: number;
  /** Records the normaliser rejected (no notice id, title or posted date). */
  skipped: number;
  pages: number;
  totalRecords: number;
  postedFrom: string;
  postedTo: string;
  /** The offset this run started at: above 0 when it resumed an unfinished window. */
  startOffset: number;
}

/** A failure talking to SAM.gov (deliberately not an AppError: nothing a client of ours did). */
export class SamApiError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly attempts: number,
  ) {
    super(message);
    this.name = "SamApiError";
  }
}

interface SamPage {
  totalRecords: number;
  opportunitiesData: Record<string, unknown>[];
}

type Attempt =
  | { ok: true; page: SamPage }
  | { ok: false; retryable: boolean; status: number | null; message: string; retryAfterMs?: number };

const BACKOFF_BASE_MS = 1_000;
const BACKOFF_CAP_MS = 60_000;

/** Exponential backoff with jitter: attempt 1 waits 0.5–1 s, attempt 2 1–2 s, … up to 60 s. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Retry-After as delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: Date): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

function parsePage(body: unknown): SamPage | null {
  if (body === null || typeof body !== "object") return null;
  const { totalRecords, opportunitiesData } = body as Record<string, unknown>;
  if (typeof totalRecords !== "number") return null;
  // An empty result may come without the array.
  if (opportunitiesData === undefined || opportunitiesData === null)
    return totalRecords === 0 ? { totalRecords, opportunitiesData: [] } : null;
  if (!Array.isArray(opportunitiesData)) return null;
  return {
    totalRecords,
    opportunitiesData: opportunitiesData.filter(
      (r): r is Record<string, unknown> => r !== null && typeof r === "object",
    ),
  };
}

function oneLineSnippet(text: string, max = 300) {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  const detail = cause instanceof Error ? `${(cause as { code?: string }).code ?? cause.name}: ${cause.message}` : "";
  return detail ? `${error.message} (${detail})` : error.message;
}

async function attemptOnce(url: URL, fetchImpl: typeof fetch, timeoutMs: number, now: Date): Promise<Attempt> {
  let response: Response;
  let body: string;
  try {
    response = await fetchImpl(url, {
      headers: { accept: "application/json" },
      signal: AbortSignal.timeout(timeoutMs),
    });
    body = await response.text();
  } catch (error) {
    return { ok: false, retryable: true, status: null, message: `network error: ${describeNetworkError(error)}` };
  }
  if (response.ok) {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return {
        ok: false,
        retryable: true,
        status: response.status,
        message: `unreadable response body: ${oneLineSnippet(body, 120)}`,
      };
    }
    const page = parsePage(json);
    if (page) return { ok: true, page };
    return {
      ok: false,
      retryable: false,
      status: response.status,
      message: `unexpected response shape: ${oneLineSnippet(body)}`,
    };
  }
  const retryable = response.status === 429 || response.status >= 500;
  return {
    ok: false,
    retryable,
    status: response.status,
    message: `SAM.gov answered ${response.status}${body ? `: ${oneLineSnippet(body)}` : ""}`,
    retryAfterMs: retryable ? parseRetryAfter(response.headers.get("retry-after"), now) : undefined,
  };
}

interface Cursor {
  postedFrom: string | null;
  postedTo: string | null;
  nextOffset: number;
  lastError: string | null;
}

async function readCursor(): Promise<Cursor | undefined> {
  const [row] = await db().select().from(ingestionCursors).where(eq(ingestionCursors.source, SAM_API_SOURCE));
  return row;
}

async function saveCursor(
  dbx: DbOrTx,
  values: { postedFrom: string; postedTo: string; nextOffset: number; lastError: string | null; lastSuccessAt?: Date },
  now: Date,
) {
  const set = { ...values, updatedAt: now };
  await dbx
    .insert(ingestionCursors)
    .values({ source: SAM_API_SOURCE, ...set })
    .onConflictDoUpdate({ target: ingestionCursors.source, set });
}

/**
 * Which window to fetch and from which offset. A cursor is unfinished while it has an offset
 * to resume at or an error: it is only written once a page is stored or a page failed, so a
 * run killed before its first page leaves the previous (finished) cursor in place.
 */
function chooseWindow(options: IngestFromSamOptions, cursor: Cursor | undefined, today: string) {
  const unfinished =
    cursor?.postedFrom && cursor.postedTo && (cursor.nextOffset > 0 || cursor.lastError !== null) ? cursor : undefined;
  if (options.postedFrom !== undefined || options.postedTo !== undefined) {
    const postedTo = options.postedTo ?? today;
    const postedFrom = options.postedFrom ?? addDays(postedTo, -1);
    for (const [name, value] of [
      ["postedFrom", postedFrom],
      ["postedTo", postedTo],
    ] as const) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value)))
        throw new AppError("validation_failed", `${name} must be a date (YYYY-MM-DD), got "${value}"`);
    }
    if (postedFrom > postedTo)
      throw new AppError("validation_failed", `postedFrom ${postedFrom} is after postedTo ${postedTo}`);
    if (daysBetween(postedFrom, postedTo) > MAX_WINDOW_DAYS)
      throw new AppError("validation_failed", "SAM.gov accepts a posted-date range of at most one year");
    const resume =
      unfinished && unfinished.postedFrom === postedFrom && unfinished.postedTo === postedTo
        ? unfinished.nextOffset
        : 0;
    return { postedFrom, postedTo, offset: resume };
  }
  if (unfinished)
    return { postedFrom: unfinished.postedFrom!, postedTo: unfinished.postedTo!, offset: unfinished.nextOffset };
  let postedFrom = cursor?.postedTo ?? addDays(today, -1);
  if (postedFrom > today) postedFrom = today;
  if (daysBetween(postedFrom, today) > MAX_WINDOW_DAYS) postedFrom = addDays(today, -MAX_WINDOW_DAYS);
  return { postedFrom, postedTo: today, offset: 0 };
}

/** Fetches every page of a posted-date window from SAM.gov into `opportunities`. */
export async function ingestFromSam(options: IngestFromSamOptions): Promise<SamIngestResult> {
  const clock = typeof options.now === "function" ? options.now : () => (options.now as Date | undefined) ?? new Date();
  const fetchImpl = options.fetchImpl ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 120_000;
  const timeoutMs = options.requestTimeoutMs ?? 60_000;
  const pageSize = Math.min(Math.max(1, Math.trunc(options.pageSize ?? SAM_MAX_PAGE_SIZE)), SAM_MAX_PAGE_SIZE);
  if (!options.apiKey) throw new AppError("validation_failed", "SAM_API_KEY is not set");
  // The key travels in the query string: keep it out of every message we store or throw.
  const redact = (text: string) => text.split(options.apiKey).join("[redacted]");

  const {
    postedFrom,
    postedTo,
    offset: startOffset,
  } = chooseWindow(options, await readCursor(), samCalendarDate(clock()));
  const result: SamIngestResult = {
    inserted: 0,
    updated: 0,
    skipped: 0,
    pages: 0,
    totalRecords: 0,
    postedFrom,
    postedTo,
    startOffset,
  };

  const fetchPage = async (offset: number): Promise<SamPage> => {
    const url = new URL(options.baseUrl);
    url.searchParams.set("api_key", options.apiKey);
    url.searchParams.set("postedFrom", toSamQueryDate(postedFrom));
    url.searchParams.set("postedTo", toSamQueryDate(postedTo));
    url.searchParams.set("limit", String(pageSize));
    url.searchParams.set("offset", String(offset));
    for (let attempt = 1; ; attempt++) {
      const outcome = await attemptOnce(url, fetchImpl, timeoutMs, clock());
      if (outcome.ok) return outcome.page;
      const where = `page at offset ${offset} of ${postedFrom}..${postedTo}`;
      if (!outcome.retryable)
        throw new SamApiError(redact(`${outcome.message} (${where}; not retried)`), outcome.status, attempt);
      if (attempt >= maxAttempts)
        throw new SamApiError(
          redact(`${outcome.message} (${where}; gave up after ${attempt} attempts)`),
          outcome.status,
          attempt,
        );
      if (outcome.retryAfterMs !== undefined && outcome.retryAfterMs > maxRetryAfterMs) {
        throw new SamApiError(
          redact(
            `${outcome.message} (${where}; Retry-After ${Math.ceil(outcome.retryAfterMs / 1000)} s is longer than we wait)`,
          ),
          outcome.status,
          attempt,
        );
      }
      await sleep(outcome.retryAfterMs ?? backoffDelay(attempt, random));
    }
  };

  let offset = startOffset;
  for (;;) {
    let page: SamPage;
    try {
      page = await fetchPage(offset);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await saveCursor(
        db(),
        { postedFrom, postedTo, nextOffset: offset, lastError: redact(message).slice(0, 2000) },
        clock(),
      );
      throw error instanceof SamApiError ? error : new SamApiError(redact(message), null, 0);
    }
    const rows: NewOpportunity[] = [];
    for (const record of page.opportunitiesData) {
      const normalized = normalizeApiRecord(record);
      if (normalized.ok) rows.push(normalized.opportunity);
      else result.skipped += 1;
    }
    const received = page.opportunitiesData.length;
    const nextOffset = offset + received;
    const finished = received === 0 || nextOffset >= page.totalRecords;
    const eventId = await db().transaction(async (tx) => {
      // The test clock when one is injected; otherwise a stamp never behind one already stored.
      const now = await lockIngestion(tx, typeof options.now === "undefined" ? undefined : clock());
      const written = await upsertOpportunities(rows, now, tx);
      result.inserted += written.inserted;
      result.updated += written.updated;
      await saveCursor(
        tx,
        { postedFrom, postedTo, nextOffset: finished ? 0 : nextOffset, lastError: null, lastSuccessAt: now },
        now,
      );
      // Each stored page announces itself in its own transaction: a run that dies later loses no event.
      return announceIngested(tx, {
        ...written,
        source: SAM_API_SOURCE,
        at: now,
        key: `${postedFrom}-${postedTo}-${offset}-${now.getTime()}`,
      });
    });
    if (eventId) await deliverOutboxNow([eventId]);
    result.pages += 1;
    result.totalRecords = page.totalRecords;
    if (finished) return result;
    offset = nextOffset;
  }
}
