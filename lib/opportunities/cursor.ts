import { createHash } from "node:crypto";
import { AppError } from "@/lib/http";
import type { OpportunityFilters } from "./filters";

/**
 * Keyset cursor. `maxId` pins the result set to the rows that existed when the first page was
 * read, so concurrent inserts never shift later pages (no repeats, no skips); `maxVersionId` does
 * the same for notices amended in place since (amended-pins.ts; null in a cursor issued before
 * versions were kept); `after` is the last row's sort key. `filters` binds the cursor to the
 * query it came from.
 */
export interface SearchCursor {
  maxId: number;
  maxVersionId: number | null;
  after: [number | string, number];
  filters: string;
}

// The reference date moves with the clock in live mode; a page read a minute later is still the same
// search. So is one read after a teammate marked a notice not relevant.
export function filtersFingerprint({
  referenceDate: _moving,
  excludeNoticeIds: _marked,
  ...filters
}: OpportunityFilters) {
  return createHash("sha256").update(JSON.stringify(filters)).digest("base64url").slice(0, 16);
}

export function encodeCursor(cursor: SearchCursor) {
  return Buffer.from(
    JSON.stringify([2, cursor.maxId, cursor.maxVersionId ?? 0, cursor.after, cursor.filters]),
  ).toString("base64url");
}

export function decodeCursor(value: string, filters: OpportunityFilters): SearchCursor {
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
  if (parsed[0] === 1 && parsed.length === 4) fields = [parsed[1], null, parsed[2], parsed[3]];
  else if (parsed[0] === 2 && parsed.length === 5) fields = parsed.slice(1);
  else throw invalid();
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
  if (typeof key === "string" && Number.isNaN(Date.parse(key))) throw invalid();
  if (fingerprint !== filtersFingerprint(filters)) throw invalid();
  return {
    maxId: maxId as number,
    maxVersionId: maxVersionId as number | null,
    after: [key, id as number],
    filters: fingerprint,
  };
}
