import { z } from "zod";
import { memberAuth } from "@/lib/auth";
import { parseQuery, route } from "@/lib/http";
import { searchNaicsCodes } from "@/lib/opportunities";

const naicsLookupSchema = z
  .object({ q: z.string().max(100).default(""), limit: z.coerce.number().int().min(1).max(50).default(20) })
  .strict();

/** The NAICS picker: "5415" by code prefix, "cyber" by title words. */
export const GET = route(
  async ({ url }) => {
    const query = parseQuery(url, naicsLookupSchema);
    return { body: { data: await searchNaicsCodes(query.q, query.limit) } };
  },
  { authenticate: memberAuth },
);
