import type { opportunities } from "@/db/schema";
import { apiNoticeDetails, csvNoticeDetails, type NoticeDetails } from "./notice-details";
import { parseSamDate, parseSamTimestamp } from "./sam-dates";

/**
 * Turns one SAM.gov record — a row of the ContractOpportunitiesFullCSV extract or a record of
 * the Get Opportunities v2 API — into an `opportunities` row. Pure: no I/O, no clock.
 */

export type NewOpportunity = typeof opportunities.$inferInsert;
export type OpportunitySource = "sam_csv" | "sam_api";

export type RejectionReason = "missing_notice_id" | "missing_title" | "invalid_posted_date";

export interface Rejection {
  reason: RejectionReason;
  noticeId: string | null;
  message: string;
}

export type NormalizeResult = { ok: true; opportunity: NewOpportunity } | { ok: false; rejection: Rejection };

type SourceRecord = Readonly<Record<string, unknown>>;

export const EXCERPT_LENGTH = 280;

/** Set-aside codes and their labels (GSA Get Opportunities API documentation, "Set-Aside Values"). */
export const SET_ASIDE_LABELS: Readonly<Record<string, string>> = {
  SBA: "Total Small Business Set-Aside (FAR 19.5)",
  SBP: "Partial Small Business Set-Aside (FAR 19.5)",
  "8A": "8(a) Set-Aside (FAR 19.8)",
  "8AN": "8(a) Sole Source (FAR 19.8)",
  HZC: "Historically Underutilized Business (HUBZone) Set-Aside (FAR 19.13)",
  HZS: "Historically Underutilized Business (HUBZone) Sole Source (FAR 19.13)",
  SDVOSBC: "Service-Disabled Veteran-Owned Small Business (SDVOSB) Set-Aside (FAR 19.14)",
  SDVOSBS: "Service-Disabled Veteran-Owned Small Business (SDVOSB) Sole Source (FAR 19.14)",
  WOSB: "Women-Owned Small Business (WOSB) Program Set-Aside (FAR 19.15)",
  WOSBSS: "Women-Owned Small Business (WOSB) Program Sole Source (FAR 19.15)",
  EDWOSB: "Economically Disadvantaged WOSB (EDWOSB) Program Set-Aside (FAR 19.15)",
  EDWOSBSS: "Economically Disadvantaged WOSB (EDWOSB) Program Sole Source (FAR 19.15)",
  LAS: "Local Area Set-Aside (FAR 26.2)",
  IEE: "Indian Economic Enterprise (IEE) Set-Aside (specific to Department of Interior)",
  ISBEE: "Indian Small Business Economic Enterprise (ISBEE) Set-Aside (specific to Department of Interior)",
  BICiv: "Buy Indian Set-Aside (specific to Department of Health and Human Services, Indian Health Services)",
  VSA: "Veteran-Owned Small Business Set-Aside (specific to Department of Veterans Affairs)",
  VSS: "Veteran-Owned Small Business Sole source (specific to Department of Veterans Affairs)",
};

/** Trimmed text without NUL bytes (PostgreSQL refuses them); empty → null. Numbers become text. */
function clean(value: unknown): string | null {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value !== "string") return null;
  const text = value.replace(/\u0000/g, "").trim();
  return text === "" ? null : text;
}

/** Like `clean`, with inner whitespace runs (newlines, double spaces) collapsed to one space. */
function oneLine(value: unknown): string | null {
  const text = clean(value);
  return text === null ? null : text.replace(/\s+/g, " ");
}

/** SAM.gov's API writes a missing link as the string "null". */
function link(value: unknown): string | null {
  const text = clean(value);
  return text === null || text.toLowerCase() === "null" ? null : text;
}

function field(record: unknown, ...path: string[]): unknown {
  let current = record;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** '' / 'NONE' → null; JSON-array text such as '["SBA"]' (seen in the CSV extract) → its first element. */
export function normalizeSetAsideCode(value: unknown): string | null {
  let code = clean(value);
  const text = code;
  if (text?.startsWith("[")) {
    try {
      const parsed: unknown = JSON.parse(text);
      code = Array.isArray(parsed) ? clean(parsed[0]) : null;
    } catch {
      code = clean(text.replace(/[[\]"']/g, "").split(",")[0]);
    }
  }
  if (code === null || code.toUpperCase() === "NONE") return null;
  return code;
}

/** A NAICS code is 2–6 digits; anything else (empty, "N/A") → null. */
export function normalizeNaicsCode(value: unknown): string | null {
  const code = clean(value);
  return code !== null && /^\d{2,6}$/.test(code) ? code : null;
}

/** A US state or territory: two letters, and only when the country (if given) is the US. */
export function normalizePopState(state: unknown, country: unknown): string | null {
  const code = clean(state)?.toUpperCase();
  if (!code || !/^[A-Z]{2}$/.test(code)) return null;
  const countryCode = clean(country)?.toUpperCase();
  if (countryCode && countryCode !== "USA" && countryCode !== "US") return null;
  return code;
}

/** department / sub-tier / office (or more levels), without empties or a name repeating its parent. */
export function agencyLevelsOf(names: readonly (string | null | undefined)[]): string[] {
  const kept: string[] = [];
  for (const name of names) {
    const text = oneLine(name);
    if (text && text.toLowerCase() !== kept.at(-1)?.toLowerCase()) kept.push(text);
  }
  return kept;
}

/** The agency levels as one searchable line. */
export function agencyPathOf(names: readonly (string | null | undefined)[]): string {
  return agencyLevelsOf(names).join(" / ");
}

/** The first ~280 characters on one line, cut at a word boundary and marked with "…". */
export function descriptionExcerptOf(description: string, maxLength = EXCERPT_LENGTH): string {
  const flat = description.replace(/\s+/g, " ").trim();
  if (flat.length <= maxLength) return flat;
  const window = flat.slice(0, maxLength + 1);
  const lastSpace = window.lastIndexOf(" ");
  // A single very long "word" (a URL) is cut mid-word rather than leaving an excerpt of a few characters.
  let head = lastSpace >= maxLength * 0.6 ? window.slice(0, lastSpace) : flat.slice(0, maxLength);
  if (/[\uD800-\uDBFF]$/.test(head)) head = head.slice(0, -1);
  return `${head.replace(/[\s,;:–—-]+$/u, "")}…`;
}

function active(value: unknown): boolean {
  if (typeof value === "boolean") return value;
  return clean(value)?.toLowerCase() !== "no";
}

/** Deep copy without NUL characters, which a jsonb value cannot hold. */
function jsonSafe(value: unknown): unknown {
  if (typeof value === "string") return value.includes("\u0000") ? value.replace(/\u0000/g, "") : value;
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonSafe(v)]));
  }
  return value;
}

interface Fields {
  noticeId: string | null;
  title: string | null;
  postedDate: string | null;
  solicitationNumber: unknown;
  agencyNames: (string | null)[];
  department: string | null;
  subTier: string | null;
  office: string | null;
  type: unknown;
  baseType: unknown;
  naicsCode: unknown;
  classificationCode: unknown;
  setAsideCode: unknown;
  setAsideDescription: unknown;
  responseDeadline: unknown;
  archiveDate: unknown;
  active: unknown;
  popState: unknown;
  popCity: unknown;
  popCountry: unknown;
  uiLink: unknown;
  additionalInfoLink: unknown;
  description: string;
  details: NoticeDetails;
}

function build(fields: Fields, source: OpportunitySource, raw: SourceRecord): NormalizeResult {
  const { noticeId, title } = fields;
  const reject = (reason: RejectionReason, message: string): NormalizeResult => ({
    ok: false,
    rejection: { reason, noticeId, message },
  });
  if (!noticeId) return reject("missing_notice_id", "record has no notice id");
  if (!title) return reject("missing_title", `notice ${noticeId} has no title`);
  const postedAt = parseSamTimestamp(fields.postedDate);
  if (!postedAt) {
    return reject(
      "invalid_posted_date",
      `notice ${noticeId} has ${fields.postedDate ? `an invalid posted date "${fields.postedDate}"` : "no posted date"}`,
    );
  }
  const setAsideCode = normalizeSetAsideCode(fields.setAsideCode);
  const description = fields.description;
  return {
    ok: true,
    opportunity: {
      noticeId,
      title,
      solicitationNumber: clean(fields.solicitationNumber),
      department: fields.department,
      subTier: fields.subTier,
      office: fields.office,
      agencyPath: agencyPathOf(fields.agencyNames),
      agencyLevels: agencyLevelsOf(fields.agencyNames),
      type: oneLine(fields.type),
      baseType: oneLine(fields.baseType),
      naicsCode: normalizeNaicsCode(fields.naicsCode),
      classificationCode: clean(fields.classificationCode),
      setAsideCode,
      // "No Set aside used" next to a null code would read as a set-aside; a known code whose
      // label is missing (the '["SBA"]' rows) gets the documented one.
      setAsideDescription: setAsideCode
        ? (oneLine(fields.setAsideDescription) ?? SET_ASIDE_LABELS[setAsideCode] ?? null)
        : null,
      postedAt,
      responseDeadline: parseSamTimestamp(clean(fields.responseDeadline)),
      archiveDate: parseSamDate(clean(fields.archiveDate)),
      active: active(fields.active),
      popState: normalizePopState(fields.popState, fields.popCountry),
      popCity: oneLine(fields.popCity),
      popCountry: clean(fields.popCountry)?.toUpperCase() ?? null,
      uiLink: link(fields.uiLink),
      additionalInfoLink: link(fields.additionalInfoLink),
      contacts: fields.details.contacts,
      resourceLinks: fields.details.resourceLinks,
      award: fields.details.award,
      description,
      descriptionExcerpt: descriptionExcerptOf(description),
      source,
      raw: jsonSafe(raw),
    },
  };
}

/** A row of ContractOpportunitiesFullCSV (keys are its 47 column names; extra keys are kept in `raw`). */
export function normalizeCsvRecord(row: SourceRecord): NormalizeResult {
  const department = oneLine(row["Department/Ind.Agency"]);
  const subTier = oneLine(row["Sub-Tier"]);
  const office = oneLine(row["Office"]);
  return build(
    {
      noticeId: clean(row["NoticeId"]),
      title: oneLine(row["Title"]),
      postedDate: clean(row["PostedDate"]),
      solicitationNumber: row["Sol#"],
      agencyNames: [department, subTier, office],
      department,
      subTier,
      office,
      type: row["Type"],
      baseType: row["BaseType"],
      naicsCode: row["NaicsCode"],
      classificationCode: row["ClassificationCode"],
      setAsideCode: row["SetASideCode"],
      setAsideDescription: row["SetASide"],
      responseDeadline: row["ResponseDeadLine"],
      archiveDate: row["ArchiveDate"],
      active: row["Active"],
      popState: row["PopState"],
      popCity: row["PopCity"],
      popCountry: row["PopCountry"],
      uiLink: row["Link"],
      additionalInfoLink: row["AdditionalInfoLink"],
      description: clean(row["Description"]) ?? "",
      details: csvNoticeDetails(row),
    },
    "sam_csv",
    row,
  );
}

/**
 * A record of the Get Opportunities v2 API. Real responses differ from the documentation
 * table: they use `typeOfSetAside` (doc: `setAsideCode`) and `responseDeadLine` (doc:
 * `reponseDeadLine`), and name the agency by `fullParentPathName` ("DEPT.SUBTIER.….OFFICE")
 * rather than the deprecated `department` / `subTier` / `office`. Both spellings are read.
 */
export function normalizeApiRecord(record: SourceRecord): NormalizeResult {
  let department = oneLine(record.department);
  let subTier = oneLine(record.subTier ?? record.subtier);
  let office = oneLine(record.office);
  let agencyNames: (string | null)[] = [department, subTier, office];
  const parentPath = clean(record.fullParentPathName);
  if (parentPath && !department && !subTier && !office) {
    // Every level is kept in the searchable path (a command such as NAVSUP sits between the
    // sub-tier and the office); the columns take the first two levels and the last.
    agencyNames = parentPath.split(".").map(oneLine);
    const levels = agencyNames.filter((n): n is string => n !== null);
    department = levels[0] ?? null;
    subTier = levels[1] ?? null;
    office = levels.length > 2 ? levels.at(-1)! : null;
  }
  const naicsCodes = record.naicsCodes;
  // `description` is a link to the text (fetching it costs an API call per notice): keep it in
  // `raw`, never as searchable text. Older or hand-made records may carry real text.
  const rawDescription = link(record.description);
  const description = rawDescription && !/^https?:\/\//i.test(rawDescription) ? rawDescription : "";
  return build(
    {
      noticeId: clean(record.noticeId),
      title: oneLine(record.title),
      postedDate: clean(record.postedDate),
      solicitationNumber: record.solicitationNumber,
      agencyNames,
      department,
      subTier,
      office,
      type: record.type,
      baseType: record.baseType,
      naicsCode: clean(record.naicsCode) ?? (Array.isArray(naicsCodes) ? naicsCodes[0] : undefined),
      classificationCode: record.classificationCode,
      setAsideCode: record.typeOfSetAside ?? record.setAsideCode,
      setAsideDescription: record.typeOfSetAsideDescription ?? record.setAside,
      responseDeadline: record.responseDeadLine ?? record.reponseDeadLine,
      archiveDate: record.archiveDate,
      active: record.active,
      popState: field(record, "placeOfPerformance", "state", "code"),
      popCity: field(record, "placeOfPerformance", "city", "name"),
      popCountry: field(record, "placeOfPerformance", "country", "code"),
      uiLink: record.uiLink,
      additionalInfoLink: record.additionalInfoLink,
      description,
      details: apiNoticeDetails(record),
    },
    "sam_api",
    record,
  );
}
