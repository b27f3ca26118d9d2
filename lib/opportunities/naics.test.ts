import { beforeAll, describe, expect, it } from "vitest";
import { describeEachDatabase } from "@/tests/db";
import { matchingNaicsFilter, naicsPrefixes, naicsSector, searchNaicsCodes } from "./naics";
import { loadNaicsCodes } from "./naics-data";

describe("NAICS codes and range sectors", () => {
  it("expands range sectors and resolves a code's sector", () => {
    expect(naicsPrefixes("31-33")).toEqual(["31", "32", "33"]);
    expect(naicsPrefixes("5415")).toEqual(["5415"]);
    expect(naicsSector("336413")).toBe("31-33");
    expect(naicsSector("452311")).toBe("44-45");
    expect(naicsSector("541512")).toBe("54");
    expect(matchingNaicsFilter("541512", ["23", "5415"])).toBe("5415");
    expect(matchingNaicsFilter("332710", ["31-33"])).toBe("31-33");
    expect(matchingNaicsFilter(null, ["5415"])).toBeNull();
  });
});

describeEachDatabase("NAICS picker search", () => {
  beforeAll(async () => {
    await loadNaicsCodes();
  });

  it("finds codes by prefix, shortest first", async () => {
    const codes = (await searchNaicsCodes("5415")).map((r) => r.code);
    expect(codes[0]).toBe("5415");
    expect(codes).toEqual(expect.arrayContaining(["541511", "541512", "541519"]));
    expect(codes.every((c) => c.startsWith("5415"))).toBe(true);
  });

  it("finds cybersecurity work by the word contractors use", async () => {
    const codes = (await searchNaicsCodes("cyber")).map((r) => r.code);
    expect(codes[0]).toBe("541512");
    expect(codes).toContain("541519");
  });

  it("finds codes by words in the official title, case-insensitively", async () => {
    const rows = await searchNaicsCodes("Janitorial");
    expect(rows.map((r) => r.code)).toContain("561720");
    expect(await searchNaicsCodes("%_")).toEqual([]);
    expect(await searchNaicsCodes("   ")).toEqual([]);
  });
});
