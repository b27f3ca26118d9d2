import { describe, expect, it } from "vitest";
import { HeadlineCache } from "./headline-cache";

const h = (n: number) => ({ title: `title ${n}`, excerpt: `excerpt ${n}` });

describe("HeadlineCache", () => {
  it("knows what was remembered for the same words only", () => {
    const cache = new HeadlineCache();
    cache.remember("roof repair", new Map([["1@100", h(1)]]));
    expect(cache.known("roof repair").get("1@100")).toEqual(h(1));
    expect(cache.known("roof").size).toBe(0);
  });

  it("replaces a search's map instead of changing it, so a search in flight keeps what it named", () => {
    const cache = new HeadlineCache();
    cache.remember("roof", new Map([["1@100", h(1)]]));
    const named = cache.known("roof");
    cache.remember("roof", new Map([["2@100", h(2)]]));
    expect([...named.keys()]).toEqual(["1@100"]);
    expect([...cache.known("roof").keys()]).toEqual(["1@100", "2@100"]);
  });

  it("keeps at most maxPerSearch versions per search, the newest", () => {
    const cache = new HeadlineCache(100, 3);
    for (let n = 1; n <= 5; n++) cache.remember("roof", new Map([[`${n}@1`, h(n)]]));
    expect([...cache.known("roof").keys()]).toEqual(["3@1", "4@1", "5@1"]);
  });

  it("keeps at most maxRows headlines in all, dropping the least recently used search", () => {
    const cache = new HeadlineCache(4, 10);
    cache.remember(
      "a",
      new Map([
        ["1@1", h(1)],
        ["2@1", h(2)],
      ]),
    );
    cache.remember(
      "b",
      new Map([
        ["3@1", h(3)],
        ["4@1", h(4)],
      ]),
    );
    cache.known("a");
    cache.remember("c", new Map([["5@1", h(5)]]));
    expect(cache.known("a").size).toBe(2);
    expect(cache.known("b").size).toBe(0);
    expect(cache.known("c").size).toBe(1);
  });
});
