import { LRUCache } from "lru-cache";

/** A result's highlighted title and excerpt, as `ts_headline` gave them (matches marked by control characters). */
export interface Headlines {
  title: string;
  excerpt: string;
}

/** The row versions (`id@xmin`) already highlighted for one search's words, and their headlines. */
export type KnownHeadlines = ReadonlyMap<string, Headlines>;

const NONE: KnownHeadlines = new Map();

/**
 * Headlines already computed, per search's words and row version. A version is the row's id and
 * its `xmin`: any change to a notice (an amendment re-ingested) makes a new version, highlighted
 * afresh. A search names the versions it knows to its statement, which highlights only the others:
 * highlighting is most of a full-text search's cost, and repeated searches (an alert's, a client
 * polling the API, the next page) find what they show already highlighted.
 *
 * Per process and bounded: at most `maxRows` headlines in all, `maxPerSearch` per search's words
 * (the oldest go first), least recently used words out first. Each search's map is replaced, never
 * changed, so a search in flight keeps the versions it named to its statement.
 */
export class HeadlineCache {
  private readonly bySearch: LRUCache<string, KnownHeadlines>;

  constructor(
    maxRows = 20_000,
    private readonly maxPerSearch = 200,
  ) {
    this.bySearch = new LRUCache<string, KnownHeadlines>({
      maxSize: maxRows,
      sizeCalculation: (known) => Math.max(known.size, 1),
    });
  }

  /** What is known for these words, as of now (later additions make a new map). */
  known(words: string): KnownHeadlines {
    return this.bySearch.get(words) ?? NONE;
  }

  /** Keeps newly highlighted versions; with too many for these words, the oldest go. */
  remember(words: string, fresh: ReadonlyMap<string, Headlines>) {
    if (fresh.size === 0) return;
    const next = new Map(this.bySearch.peek(words) ?? NONE);
    for (const [version, headlines] of fresh) {
      next.delete(version);
      next.set(version, headlines);
    }
    for (const version of next.keys()) {
      if (next.size <= this.maxPerSearch) break;
      next.delete(version);
    }
    this.bySearch.set(words, next);
  }
}
