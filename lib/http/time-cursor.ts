import { z } from "zod";
import { AppError } from "./errors";

/** Keyset position in a newest-first list ordered by (timestamp, id). */
export interface TimeCursor {
  at: Date;
  id: string;
}

export function encodeTimeCursor(cursor: TimeCursor): string {
  return Buffer.from(JSON.stringify([cursor.at.toISOString(), cursor.id])).toString("base64url");
}

/** Throws 422 `validation_failed` (path `cursor`) for anything that is not one of ours. */
export function decodeTimeCursor(value: string): TimeCursor {
  const invalid = () =>
    new AppError("validation_failed", "The cursor is not valid.", {
      errors: [{ path: "cursor", message: "Use the next_cursor of the previous page." }],
    });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    typeof parsed[0] !== "string" ||
    typeof parsed[1] !== "string" ||
    parsed[1].length > 200
  )
    throw invalid();
  const at = new Date(parsed[0]);
  if (Number.isNaN(at.getTime())) throw invalid();
  return { at, id: parsed[1] };
}

/** `next_cursor` for a page fetched with `limit + 1` rows. */
export function nextTimeCursor<T>(
  rows: T[],
  limit: number,
  key: (row: T) => TimeCursor,
): { page: T[]; nextCursor: string | null } {
  if (rows.length <= limit) return { page: rows, nextCursor: null };
  const page = rows.slice(0, limit);
  return { page, nextCursor: encodeTimeCursor(key(page[page.length - 1]!)) };
}

/** The paging part of every newest-first list's query string: `limit` (1–200, default 50) and `cursor`. */
export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .max(500)
    .optional()
    .transform((value) => (value ? decodeTimeCursor(value) : undefined)),
});
