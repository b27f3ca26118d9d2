import type { OpportunityFilters, OpportunityPreferences } from "@/lib/opportunities";

/** The parts of a profile that narrow opportunities. */
export interface ProfileFilterFields {
  naicsCodes: string[];
  keywords: string[];
  setAsides: string[];
  states: string[];
}

/**
 * Keywords → one web-search query where any keyword matches (`cyber or "zero trust"` style,
 * without the quotes: a multi-word keyword needs all its words). Characters that would turn a
 * keyword into search syntax (quotes, a leading minus = NOT) are dropped.
 */
export function keywordsToQuery(keywords: readonly string[]): string | undefined {
  const terms = keywords
    .map((k) =>
      k
        .replace(/["<>]/g, " ")
        .replace(/(^|\s)-+/g, "$1")
        .replace(/\s+/g, " ")
        .trim(),
    )
    .filter(Boolean);
  return terms.length ? terms.join(" or ") : undefined;
}

/**
 * What a profile asks of its matches. Only the NAICS codes (at least one) and openness decide
 * whether a notice matches; keywords, places and set-asides rank the matches and explain them,
 * because a small business still wants the open notice in its industry that names another
 * state or no set-aside rather than an empty list.
 */
export function profileMatchCriteria(profile: ProfileFilterFields): {
  filters: OpportunityFilters;
  prefer: OpportunityPreferences;
} {
  return {
    filters: { naics: profile.naicsCodes, status: ["open"] },
    prefer: {
      q: keywordsToQuery(profile.keywords),
      states: profile.states.length ? profile.states : undefined,
      setAsides: profile.setAsides.length ? profile.setAsides : undefined,
    },
  };
}

/**
 * The alert body (API.md) the first alert gets from a profile: the same criteria as the matches
 * (profileMatchCriteria), so the e-mails bring what the matches page shows: every new notice
 * in the profile's NAICS codes, those meeting its keywords, places and set-asides first.
 */
export function alertFiltersFromProfile(profile: ProfileFilterFields) {
  const { prefer } = profileMatchCriteria(profile);
  return {
    q: null,
    naics: profile.naicsCodes,
    states: [] as string[],
    set_asides: [] as string[],
    prefer: { q: prefer.q ?? null, states: prefer.states ?? [], set_asides: prefer.setAsides ?? [] },
  };
}
