import fs from "node:fs";
import path from "node:path";
import { db } from "@/db/client";
import { AppError } from "@/lib/http";
import { BUNDLED_OPPORTUNITIES_FILE } from "../snapshot";
import {
  assertReadableFile,
  FILE_SOURCE,
  importOpportunitiesCsv,
  type ImportCounts,
  type ImportOptions,
} from "./csv-import";
import { normalizeApiRecord, normalizeCsvRecord, type NewOpportunity, type NormalizeResult } from "./normalize";
import { storeIngestedBatch } from "./announce";

export { BUNDLED_OPPORTUNITIES_FILE };

/**
 * Reads a JSON file: an array of ContractOpportunitiesFullCSV records (the bundled shape) or
 * a Get Opportunities v2 response (`{ opportunitiesData: [...] }`), normalized.
 */
export async function readOpportunitiesJson(
  filePath: string,
  onReject?: ImportOptions["onReject"],
): Promise<{ rows: NewOpportunity[]; skipped: number }> {
  assertReadableFile(filePath);
  let data: unknown;
  try {
    data = JSON.parse(await fs.promises.readFile(filePath, "utf8"));
  } catch (error) {
    throw new AppError("validation_failed", `${filePath} is not valid JSON: ${(error as Error).message}`);
  }
  let records: unknown[];
  let normalize: (record: Readonly<Record<string, unknown>>) => NormalizeResult;
  if (Array.isArray(data)) {
    records = data;
    normalize = normalizeCsvRecord;
  } else if (
    data !== null &&
    typeof data === "object" &&
    Array.isArray((data as { opportunitiesData?: unknown }).opportunitiesData)
  ) {
    records = (data as { opportunitiesData: unknown[] }).opportunitiesData;
    normalize = normalizeApiRecord;
  } else {
    throw new AppError(
      "validation_failed",
      `${filePath} holds neither an array of extract rows nor a Get Opportunities response`,
    );
  }
  const rows: NewOpportunity[] = [];
  let skipped = 0;
  for (const record of records) {
    const result = record !== null && typeof record === "object" ? normalize(record as Record<string, unknown>) : null;
    if (result?.ok) {
      rows.push(result.opportunity);
    } else {
      skipped += 1;
      if (result) onReject?.(result.rejection);
    }
  }
  return { rows, skipped };
}

/** Imports a JSON file (see `readOpportunitiesJson`), announcing its new notices like every ingestion. */
export async function importOpportunitiesJson(filePath: string, options: ImportOptions = {}): Promise<ImportCounts> {
  const { rows, skipped } = await readOpportunitiesJson(filePath, options.onReject);
  const written = await storeIngestedBatch(options.db ?? db(), rows, {
    source: FILE_SOURCE,
    now: options.now,
    batchSize: options.batchSize,
  });
  return { ...written, skipped };
}

/** The bundled dataset's path (relative to the working directory, the project root). */
export function bundledOpportunitiesPath() {
  // turbopackIgnore: read at run time from the project root; the build need not trace the project.
  return path.resolve(/* turbopackIgnore: true */ process.cwd(), BUNDLED_OPPORTUNITIES_FILE);
}

/** Imports the whole bundled dataset at once. */
export function importBundledOpportunities(options: ImportOptions = {}): Promise<ImportCounts> {
  return importOpportunitiesJson(bundledOpportunitiesPath(), options);
}

/** A `.json` file as `importOpportunitiesJson`, anything else as a ContractOpportunitiesFullCSV extract. */
export function importOpportunitiesFile(filePath: string, options: ImportOptions = {}): Promise<ImportCounts> {
  return path.extname(filePath).toLowerCase() === ".json"
    ? importOpportunitiesJson(filePath, options)
    : importOpportunitiesCsv(filePath, options);
}
