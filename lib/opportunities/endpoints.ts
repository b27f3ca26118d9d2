import { z } from "zod";
import { defineEndpoint } from "@/lib/http";
import type { NoticeChange } from "./changes";
import { searchNaicsCodes } from "./naics";
import { getOpportunity, type OpportunityDetail, type OpportunityResult } from "./search";
import { NOTICE_STATUSES } from "./status";

const isoTime = z.iso.datetime();
const text = z.string().nullable();

const fitSchema = z
  .object({
    score: z.int().min(0).max(100),
    reasons: z.array(z.string()).describe("Why, in words, strongest first."),
  })
  .describe("How well the notice fits the organisation's business profile (`sort=fit`).");

/** API.md `Opportunity` as a search lists it. */
export const opportunitySchema = z
  .object({
    notice_id: z.string(),
    title: z.string(),
    solicitation_number: text,
    agency: z.string(),
    type: text,
    naics_code: text,
    set_aside: text,
    set_aside_description: text,
    posted_date: isoTime,
    response_deadline: isoTime.nullable(),
    state: text,
    url: text,
    description_excerpt: z.string(),
    status: z.enum(NOTICE_STATUSES).describe("At the feed's reference date."),
    highlights: z
      .object({ title: z.string(), excerpt: z.string() })
      .describe("HTML-escaped text with matched words in `<mark>…</mark>`."),
    matched: z.object({
      keywords: z.array(z.string()),
      naics: text,
      state: text,
      set_aside: text,
    }),
    fit: fitSchema.optional(),
  })
  .meta({ title: "Opportunity" }) satisfies z.ZodType<OpportunityResult>;

const sideOf = <S extends z.ZodType>(side: S) => z.object({ from: side.optional(), to: side.optional() });
const setAside = z.object({ code: z.string().optional(), description: z.string().optional() });
const award = z.object({
  number: text,
  date: text,
  amountCents: z.int().nullable(),
  awardee: text,
});

const noticeChangeSchema = z.object({
  notice_id: z.string(),
  previous_notice_id: z.string(),
  kind: z.enum(["amended", "new_posting"]),
  detected_at: isoTime,
  summary: z.array(z.string()),
  diff: z.object({
    responseDeadline: sideOf(z.string()).optional(),
    type: sideOf(z.string()).optional(),
    setAside: sideOf(setAside).optional(),
    award: sideOf(award).optional(),
    description: z.object({ changed: z.literal(true) }).optional(),
    resourceLinks: z.object({ added: z.array(z.string()), removed: z.array(z.string()) }).optional(),
    cancelled: z.literal(true).optional(),
    active: z.object({ from: z.boolean(), to: z.boolean() }).optional(),
  }),
}) satisfies z.ZodType<NoticeChange>;

/** One notice with everything Beacon knows of it; SAM.gov's raw record stays inside. */
export const opportunityDetailSchema = opportunitySchema
  .extend({
    description: z.string(),
    agency_levels: z.array(z.string()),
    place: z.object({ city: text, state: text, country: text }),
    archive_date: text,
    additional_info_link: text,
    contacts: z.array(
      z.object({ type: z.enum(["primary", "secondary"]), name: text, title: text, email: text, phone: text }),
    ),
    resource_links: z.array(z.string()).describe("Attachment download links."),
    award: z.object({ number: text, date: text, amount_cents: z.int().nullable(), awardee: text }).nullable(),
    versions: z
      .array(
        z.object({ notice_id: z.string(), title: z.string(), type: text, posted_date: isoTime, latest: z.boolean() }),
      )
      .describe("Every posting of its solicitation, newest first; empty when there is only one."),
    changes: z.array(noticeChangeSchema).describe("Material changes, newest first (at most 50)."),
  })
  .meta({ title: "OpportunityDetail" }) satisfies z.ZodType<Omit<OpportunityDetail, "raw">>;

export const getOpportunityEndpoint = defineEndpoint({
  name: "getOpportunity",
  method: "GET",
  path: "/api/v1/opportunities/{noticeId}",
  auth: "apiKey",
  summary: "One opportunity by notice id (any posting).",
  description: "Metered like the search: an unknown id is a served lookup.",
  params: z.object({ noticeId: z.string().describe("SAM.gov's notice id.") }),
  metered: { usage: "GET /api/v1/opportunities/{notice_id}" },
  success: { status: 200, body: opportunityDetailSchema },
  problems: ["not_found"],
  handle: async ({ params }) => {
    const { raw: _raw, ...opportunity } = await getOpportunity(params.noticeId);
    return { body: opportunity };
  },
});

const naicsLookupSchema = z
  .object({ q: z.string().max(100).default(""), limit: z.coerce.number().int().min(1).max(50).default(20) })
  .strict();

/** The NAICS picker: "5415" by code prefix, "cyber" by title words. */
export const naicsLookupEndpoint = defineEndpoint({
  name: "appSearchNaics",
  method: "GET",
  path: "/api/app/naics",
  auth: "session",
  summary: "NAICS codes by code prefix or title words.",
  query: naicsLookupSchema,
  success: { status: 200 },
  problems: [],
  handle: async ({ query }) => ({ body: { data: await searchNaicsCodes(query.q, query.limit) } }),
});
