import type { NoticeAward, NoticeContact } from "@/db/schema";
import { parseSamDate } from "./sam-dates";

/**
 * What a notice's page shows beyond the searchable columns: points of contact, attachments and
 * the award, read from either source shape (the CSV extract's flat columns or the v2 API's
 * nested objects). Pure.
 */

type SourceRecord = Readonly<Record<string, unknown>>;

/** Trimmed one-line text; empty, and the API's literal "null", → null. */
function text(value: unknown): string | null {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value !== "string") return null;
  const out = value
    .replace(/\u0000/g, "")
    .replace(/\s+/g, " ")
    .trim();
  return out === "" || out.toLowerCase() === "null" ? null : out;
}

function contact(
  type: NoticeContact["type"],
  fields: { name: unknown; title: unknown; email: unknown; phone: unknown },
): NoticeContact | null {
  const out = {
    type,
    name: text(fields.name),
    title: text(fields.title),
    email: text(fields.email),
    phone: text(fields.phone),
  };
  // A title alone ("Contracting Officer") reaches nobody.
  return out.name || out.email || out.phone ? out : null;
}

const present = <T>(value: T | null): value is T => value !== null;

/** "1154387.00", "$1,154,387" → 115438700; anything that is not an amount → null. */
export function amountCents(value: unknown): number | null {
  const raw = text(value)?.replace(/[$,\s]/g, "");
  if (!raw || !/^\d+(\.\d+)?$/.test(raw)) return null;
  const [whole, fraction = ""] = raw.split(".");
  const cents = Number(whole) * 100 + Number(`${fraction}00`.slice(0, 2));
  return Number.isSafeInteger(cents) ? cents : null;
}

function award(fields: { number: unknown; date: unknown; amount: unknown; awardee: unknown }): NoticeAward | null {
  const out = {
    number: text(fields.number),
    date: parseSamDate(text(fields.date)),
    amountCents: amountCents(fields.amount),
    awardee: text(fields.awardee),
  };
  return out.number || out.date || out.amountCents !== null || out.awardee ? out : null;
}

export interface NoticeDetails {
  contacts: NoticeContact[];
  resourceLinks: string[];
  award: NoticeAward | null;
}

/** ContractOpportunitiesFullCSV: Primary/Secondary contact columns and the Award columns; no attachments. */
export function csvNoticeDetails(row: SourceRecord): NoticeDetails {
  const person = (prefix: "Primary" | "Secondary") =>
    contact(prefix === "Primary" ? "primary" : "secondary", {
      name: row[`${prefix}ContactFullname`],
      title: row[`${prefix}ContactTitle`],
      email: row[`${prefix}ContactEmail`],
      phone: row[`${prefix}ContactPhone`],
    });
  return {
    contacts: [person("Primary"), person("Secondary")].filter(present),
    resourceLinks: [],
    award: award({
      number: row["AwardNumber"],
      date: row["AwardDate"],
      amount: row["Award$"],
      awardee: row["Awardee"],
    }),
  };
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object";

/** Get Opportunities v2: `pointOfContact[]`, `resourceLinks[]` (download URLs) and `award{}`. */
export function apiNoticeDetails(record: SourceRecord): NoticeDetails {
  const people = Array.isArray(record.pointOfContact) ? record.pointOfContact.filter(isObject) : [];
  const links = Array.isArray(record.resourceLinks) ? record.resourceLinks.map(text) : [];
  const given = isObject(record.award) ? record.award : null;
  return {
    contacts: people
      .map((p, i) =>
        contact(text(p.type)?.toLowerCase() === "primary" || (!text(p.type) && i === 0) ? "primary" : "secondary", {
          name: p.fullName,
          title: p.title,
          email: p.email,
          phone: p.phone,
        }),
      )
      .filter(present),
    resourceLinks: [...new Set(links.filter((l): l is string => l !== null && /^https?:\/\//i.test(l)))],
    award: given
      ? award({
          number: given.number,
          date: given.date,
          amount: given.amount,
          awardee: isObject(given.awardee) ? given.awardee.name : null,
        })
      : null,
  };
}
