import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { naicsCodes } from "@/db/schema";
import { describeEachDatabase } from "@/tests/db";
import { loadNaicsCodes, naicsLevel, readNaicsCodes } from "./naics-data";

describe("NAICS list", () => {
  it("reads 2,125 codes with their levels; range sectors are level 2", () => {
    const codes = readNaicsCodes();
    expect(codes).toHaveLength(2125);
    const byLevel: Record<number, number> = {};
    for (const c of codes) byLevel[c.level] = (byLevel[c.level] ?? 0) + 1;
    expect(byLevel).toEqual({ 2: 20, 3: 96, 4: 308, 5: 689, 6: 1012 });
    expect(codes.find((c) => c.code === "31-33")).toEqual({ code: "31-33", title: "Manufacturing", level: 2 });
    expect(codes.find((c) => c.code === "513210")?.title).toBe("Software Publishers");
  });

  it("counts a code's digits", () => {
    expect(naicsLevel("11")).toBe(2);
    expect(naicsLevel("48-49")).toBe(2);
    expect(naicsLevel("5415")).toBe(4);
    expect(naicsLevel("541511")).toBe(6);
  });

  it("refuses a row that is not a code and a title", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "beacon-naics-")), "bad.csv");
    fs.writeFileSync(file, "code,title\n11,Agriculture\nABC,Not a code\n");
    expect(() => readNaicsCodes(file)).toThrow(/row 3/);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });
});

describeEachDatabase("loadNaicsCodes", () => {
  it("loads the list into naics_codes, idempotently", async () => {
    expect(await loadNaicsCodes()).toEqual({ codes: 2125 });
    await db().update(naicsCodes).set({ title: "Stale title" }).where(eq(naicsCodes.code, "541511"));
    expect(await loadNaicsCodes()).toEqual({ codes: 2125 });
    const [count] = await db()
      .select({ n: sql<number>`count(*)::int` })
      .from(naicsCodes);
    expect(count!.n).toBe(2125);
    const rows = await db()
      .select()
      .from(naicsCodes)
      .where(sql`${naicsCodes.code} in ('541511', '44-45')`)
      .orderBy(naicsCodes.code);
    expect(rows).toEqual([
      { code: "44-45", title: "Retail Trade", level: 2 },
      { code: "541511", title: "Custom Computer Programming Services", level: 6 },
    ]);
  });
});
