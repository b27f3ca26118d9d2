import { sql } from "drizzle-orm";
import { text } from "drizzle-orm/pg-core";

/** A list of short strings (NAICS codes, states, keywords…): never null, empty by default. */
export function textList(name: string) {
  return text(name)
    .array()
    .notNull()
    .default(sql`'{}'::text[]`);
}
