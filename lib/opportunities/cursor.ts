import { createHash } from "node:crypto";
import { AppError } from "@/lib/http";
import type { OpportunityFilters, SearchSort } from "./filters";

/**
 * What a "best fit" search's later pages score with: the marks of the first page. `markedThrough`
 * is the newest not-relevant mark the first page saw (ms; 0 for none): marks made since leave the
 * list but do not move the rest. `scoring` names the profile and marks scored with, so a later page
 * that cannot score as the first did (the profile changed, an older mark was taken back) is refused
 * rather than silently repeating or skipping notices.
 */
export interface FitPin {
  markedThrough: number;
  scoring: string;
}

/**
 * Keyset cursor. `maxId` pins the result set to the rows that existed when the first page was
 * read, so concurrent inserts never shift later pages (no repeats, no skips); `maxVersionId` does
 * the same for notices amended in place since (amended-pins.ts; null in a cursor issued before
 * versions were kept); `after` is the last row's sort key. `filters` binds the cursor to the
 * query (and sort) it came from; `fit` is set for the "best fit" sort only.
 */
export interface SearchCursor {
  maxId: number;
  maxVersionId: number | null;
  after: [number | string, number];
  filters: string;
  fit: FitPin | null;
}

// The reference date moves with the clock in live mode; a page read a minute later is still the same
// search. So is one read after a teammate marked a notice not relevant.
export function filtersFingerprint(
  { referenceDate: _moving, excludeNoticeIds: _marked, ...filters }: OpportunityFilters,
  sort: SearchSort = "relevance",
) {
  // The default sort hashes as before sorts existed, so cursors issued then still read.
  const identity = sort === "relevance" ? filters : { ...filters, sort };
  return createHash("sha256").update(JSON.stringify(identity)).digest("base64url").slice(0, 16);
}

export function encodeCursor(cursor: SearchCursor) {
  const base = [cursor.maxId, cursor.maxVersionId ?? 0, cursor.after, cursor.filters];
  const fields = cursor.fit ? [3, ...base, cursor.fit.markedThrough, cursor.fit.scoring] : [2, ...base];
  return Buffer.from(JSON.stringify(fields)).toString("base64url");
}

export function decodeCursor(value: string, filters: OpportunityFilters, sort: SearchSort = "relevance"): SearchCursor {
  const invalid = () =>
    new AppError("validation_failed", "The cursor is not valid for this search.", {
      errors: [{ path: "cursor", message: "Use the next_cursor returned with the same filters." }],
    });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed)) throw invalid();
  // Version 1 (before amended notices were pinned) is still read, so pages in flight at a deploy go on.
  let fields: unknown[];
  let fit: FitPin | null = null;
  if (parsed[0] === 1 && parsed.length === 4) fields = [parsed[1], null, parsed[2], parsed[3]];
  else if (parsed[0] === 2 && parsed.length === 5) fields = parsed.slice(1);
  else if (parsed[0] === 3 && parsed.length === 7) {
    const [markedThrough, scoring] = parsed.slice(5) as unknown[];
    if (!Number.isSafeInteger(markedThrough) || typeof scoring !== "string") throw invalid();
    fields = parsed.slice(1, 5);
    fit = { markedThrough: markedThrough as number, scoring };
  } else throw invalid();
  // Only a "best fit" search has (and needs) the fit pin.
  if ((fit !== null) !== (sort === "fit")) throw invalid();
  const [maxId, maxVersionId, after, fingerprint] = fields;
  if (
    !Number.isSafeInteger(maxId) ||
    !(maxVersionId === null || Number.isSafeInteger(maxVersionId)) ||
    !Array.isArray(after) ||
    after.length !== 2 ||
    typeof fingerprint !== "string"
  )
    throw invalid();
  const [key, id] = after as [unknown, unknown];
  if (!(typeof key === "number" || typeof key === "string") || !Number.isSafeInteger(id)) throw invalid();
  // Relevance and fit sort by a number, newest first by a date: a key of the other kind is forged.
  const byNumber = sort === "fit" || (sort === "relevance" && Boolean(filters.q?.trim()));
  if (byNumber ? typeof key !== "number" : typeof key !== "string" || Number.isNaN(Date.parse(key))) throw invalid();
  if (fingerprint !== filtersFingerprint(filters, sort)) throw invalid();
  return {
    maxId: maxId as number,
    maxVersionId: maxVersionId as number | null,
    after: [key, id as number],
    filters: fingerprint,
    fit,
  };
}
