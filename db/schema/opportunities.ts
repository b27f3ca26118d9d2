import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { textList } from "./columns";

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

/** A point of contact as SAM.gov publishes it (the notice's primary and secondary). */
export interface NoticeContact {
  type: "primary" | "secondary";
  name: string | null;
  title: string | null;
  email: string | null;
  phone: string | null;
}

/** What an award notice says about the award. */
export interface NoticeAward {
  number: string | null;
  /** YYYY-MM-DD as SAM.gov gives it. */
  date: string | null;
  amountCents: number | null;
  awardee: string | null;
}

/** Public contract opportunities (SAM.gov). Not tenant data: every org searches the same set. */
export const opportunities = pgTable(
  "opportunities",
  {
    // Insertion order: search cursors remember the highest id they started with, so rows
    // inserted while a client pages through results never shift its pages.
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    noticeId: text("notice_id").notNull(),
    title: text("title").notNull(),
    solicitationNumber: text("solicitation_number"),
    department: text("department"),
    subTier: text("sub_tier"),
    office: text("office"),
    agencyPath: text("agency_path").notNull().default(""),
    // The same levels one by one (a name may itself contain " / "), for the readable path.
    agencyLevels: textList("agency_levels"),
    type: text("type"),
    baseType: text("base_type"),
    naicsCode: text("naics_code"),
    classificationCode: text("classification_code"),
    setAsideCode: text("set_aside_code"),
    setAsideDescription: text("set_aside_description"),
    postedAt: timestamp("posted_at", { withTimezone: true, mode: "date" }).notNull(),
    responseDeadline: timestamp("response_deadline", { withTimezone: true, mode: "date" }),
    archiveDate: date("archive_date"),
    active: boolean("active").notNull().default(true),
    popState: text("pop_state"),
    popCity: text("pop_city"),
    popCountry: text("pop_country"),
    uiLink: text("ui_link"),
    additionalInfoLink: text("additional_info_link"),
    contacts: jsonb("contacts").$type<NoticeContact[]>().notNull().default([]),
    // Attachments: download links SAM.gov lists with the notice (API v2 only; the extract has none).
    resourceLinks: jsonb("resource_links").$type<string[]>().notNull().default([]),
    award: jsonb("award").$type<NoticeAward>(),
    description: text("description").notNull().default(""),
    descriptionExcerpt: text("description_excerpt").notNull().default(""),
    source: text("source").notNull(),
    raw: jsonb("raw").notNull(),
    searchVector: tsvector("search_vector")
      .notNull()
      .generatedAlwaysAs(
        sql`setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(agency_path, '')), 'B') || setweight(to_tsvector('english', left(coalesce(description, ''), 100000)), 'C')`,
      ),
    // The description's first 4,000 characters (what a search result's excerpt is drawn from) in
    // passages of up to 40 words, and each passage's lexemes: a search highlights only the passage
    // where the keywords first appear, instead of parsing the whole text for every result
    // (the functions are in migration 0038).
    descriptionPassages: text("description_passages")
      .array()
      .notNull()
      .generatedAlwaysAs(sql`beacon_description_passages(description)`),
    passageVectors: tsvector("passage_vectors")
      .array()
      .notNull()
      .generatedAlwaysAs(sql`beacon_passage_vectors(beacon_description_passages(description))`),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("opportunities_notice_id_idx").on(t.noticeId),
    index("opportunities_search_idx").using("gin", t.searchVector),
    index("opportunities_naics_idx").using("btree", sql`${t.naicsCode} text_pattern_ops`),
    index("opportunities_state_idx").on(t.popState),
    // In the order every "newest first" list sorts by (DESC is NULLS FIRST in SQL): an index
    // in another null order cannot hand a LIMIT its first rows, so the list sorted them all.
    index("opportunities_posted_idx").on(t.postedAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("opportunities_deadline_idx").on(t.responseDeadline),
    index("opportunities_set_aside_idx").on(t.setAsideCode),
    index("opportunities_created_idx").on(t.createdAt),
    // Finds the other postings of a solicitation (latest version, history).
    index("opportunities_solicitation_idx").on(t.solicitationNumber, t.postedAt),
  ],
);

/** The official 2022 NAICS list (2–6 digit codes and the range sectors 31-33, 44-45, 48-49). */
export const naicsCodes = pgTable(
  "naics_codes",
  {
    code: text("code").primaryKey(),
    title: text("title").notNull(),
    level: smallint("level").notNull(),
  },
  (t) => [index("naics_codes_title_idx").on(sql`lower(${t.title})`)],
);

/** Where each ingestion source left off, so a crashed or rate-limited run resumes. */
export const ingestionCursors = pgTable("ingestion_cursors", {
  source: text("source").primaryKey(),
  postedFrom: date("posted_from"),
  postedTo: date("posted_to"),
  nextOffset: integer("next_offset").notNull().default(0),
  lastSuccessAt: timestamp("last_success_at", { withTimezone: true, mode: "date" }),
  lastError: text("last_error"),
  updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
});

/**
 * What a material change says, field by field (lib/opportunities/changes). Keys are present only for
 * fields that changed; a missing `from`/`to` is null.
 */
export interface NoticeChangeDiff {
  responseDeadline?: { from?: string; to?: string };
  type?: { from?: string; to?: string };
  setAside?: { from?: { code?: string; description?: string }; to?: { code?: string; description?: string } };
  award?: { from?: NoticeAward; to?: NoticeAward };
  description?: { changed: true };
  resourceLinks?: { added: string[]; removed: string[] };
  cancelled?: true;
  active?: { from: boolean; to: boolean };
}

/**
 * A notice as it was stored before a changed copy overwrote it (SAM.gov's API answers only the
 * latest version, so Beacon keeps the others). A new notice id under a known solicitation number
 * needs no copy here: the earlier posting stays its own row.
 */
export const noticeVersions = pgTable(
  "notice_versions",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    noticeId: text("notice_id").notNull(),
    // The stored row (its columns by SQL name, without the generated search vector).
    version: jsonb("version").$type<Record<string, unknown>>().notNull(),
    supersededAt: timestamp("superseded_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [index("notice_versions_notice_idx").on(t.noticeId, t.supersededAt)],
);

/**
 * A material change to a notice, found at ingestion: in place (same notice id, `previousNoticeId`
 * equal to it) or as a new posting of a known solicitation (`previousNoticeId` the posting before).
 */
export const noticeChanges = pgTable(
  "notice_changes",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    noticeId: text("notice_id").notNull(),
    previousNoticeId: text("previous_notice_id").notNull(),
    solicitationNumber: text("solicitation_number"),
    diff: jsonb("diff").$type<NoticeChangeDiff>().notNull(),
    detectedAt: timestamp("detected_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [
    index("notice_changes_notice_idx").on(t.noticeId, t.detectedAt),
    index("notice_changes_solicitation_idx").on(t.solicitationNumber, t.detectedAt),
    // Notifications read the changes of a window.
    index("notice_changes_detected_idx").on(t.detectedAt),
  ],
);
