import fs from "node:fs";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parse } from "csv-parse";
import { db, type DbOrTx } from "@/db/client";
import { AppError } from "@/lib/http";
import { normalizeCsvRecord, type NewOpportunity, type Rejection } from "./normalize";
import { storeIngestedBatch } from "./announce";
import { UPSERT_BATCH_SIZE } from "./upsert";

export interface ImportCounts {
  inserted: number;
  updated: number;
  /** Records not written: malformed CSV rows and records the normaliser rejected. */
  skipped: number;
}

/** The `source` of `opportunities/ingested` for notices imported from a file (CLI `--file`). */
export const FILE_SOURCE = "file";

export interface ImportOptions {
  now?: Date;
  db?: DbOrTx;
  batchSize?: number;
  /** Told about each record the normaliser rejected (a malformed CSV row has no rejection). */
  onReject?: (rejection: Rejection) => void;
}

/** Columns without which a file is not a ContractOpportunitiesFullCSV extract. */
const REQUIRED_COLUMNS = ["NoticeId", "Title", "PostedDate"] as const;

// Windows-1252's printable characters at 0x80–0x9F (latin1 has control codes there). Spelled out
// because some Node versions decode "windows-1252" as latin1 (nodejs/node#56542).
const WINDOWS_1252_C1 =
  "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178";

export function decodeWindows1252(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString("latin1")
    .replace(/[\u0080-\u009f]/g, (c) => WINDOWS_1252_C1[c.charCodeAt(0) - 0x80]!);
}

/**
 * Decodes bytes to text line by line: UTF-8 where a line is valid UTF-8, else windows-1252
 * (the daily SAM.gov extract is mostly windows-1252, and files get re-saved in pieces). A
 * newline byte never occurs inside a multi-byte character, so splitting on it is safe.
 */
export function tolerantLineDecoder(): Transform {
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  let pending: Buffer[] = [];
  const decode = (bytes: Buffer) => {
    try {
      return utf8.decode(bytes);
    } catch {
      let text = "";
      let start = 0;
      while (start < bytes.length) {
        const end = bytes.indexOf(0x0a, start);
        const line = bytes.subarray(start, end === -1 ? bytes.length : end + 1);
        try {
          text += utf8.decode(line);
        } catch {
          text += decodeWindows1252(line);
        }
        start = end === -1 ? bytes.length : end + 1;
      }
      return text;
    }
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const lastNewline = chunk.lastIndexOf(0x0a);
      if (lastNewline === -1) {
        pending.push(chunk);
        return callback();
      }
      const complete = Buffer.concat([...pending, chunk.subarray(0, lastNewline + 1)]);
      pending = lastNewline + 1 < chunk.length ? [chunk.subarray(lastNewline + 1)] : [];
      callback(null, decode(complete));
    },
    flush(callback) {
      callback(null, pending.length > 0 ? decode(Buffer.concat(pending)) : undefined);
    },
  });
}

/** Rejects a missing file as an expected failure rather than a stack trace from fs. */
export function assertReadableFile(filePath: string) {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(filePath);
  } catch {
    throw new AppError("not_found", `File not found: ${filePath}`);
  }
  if (!stat.isFile()) throw new AppError("validation_failed", `Not a file: ${filePath}`);
}

/**
 * Streams a ContractOpportunitiesFullCSV file (header row; the 47 columns in any order) into
 * `opportunities`, `batchSize` rows per transaction, each announcing its new notices with
 * `opportunities/ingested`. Malformed rows and rejected records are skipped and counted.
 */
export async function importOpportunitiesCsv(filePath: string, options: ImportOptions = {}): Promise<ImportCounts> {
  assertReadableFile(filePath);
  const dbx = options.db ?? db();
  const batchSize = options.batchSize ?? UPSERT_BATCH_SIZE;
  const counts: ImportCounts = { inserted: 0, updated: 0, skipped: 0 };
  let batch: NewOpportunity[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const written = await storeIngestedBatch(dbx, batch, { source: FILE_SOURCE, now: options.now, batchSize });
    counts.inserted += written.inserted;
    counts.updated += written.updated;
    batch = [];
  };

  const parser = parse({
    columns: (header: string[]) => header.map((h) => h.trim()),
    bom: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
  });
  parser.on("skip", () => (counts.skipped += 1));
  let headerChecked = false;
  await pipeline(
    fs.createReadStream(filePath),
    tolerantLineDecoder(),
    parser,
    async (records: AsyncIterable<Record<string, string>>) => {
      for await (const record of records) {
        if (!headerChecked) {
          const missing = REQUIRED_COLUMNS.filter((c) => !(c in record));
          if (missing.length > 0) {
            throw new AppError(
              "validation_failed",
              `${filePath} is not a ContractOpportunitiesFullCSV extract: no ${missing.join(", ")} column`,
            );
          }
          headerChecked = true;
        }
        const result = normalizeCsvRecord(record);
        if (!result.ok) {
          counts.skipped += 1;
          options.onReject?.(result.rejection);
          continue;
        }
        batch.push(result.opportunity);
        if (batch.length >= batchSize) await flush();
      }
    },
  );
  await flush();
  return counts;
}
