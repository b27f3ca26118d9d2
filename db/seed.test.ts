import { eq, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { describeEachDatabase } from "@/tests/db";
import { naicsCodes, opportunities } from "./schema";
import { seedDatabase } from "./seed";

describeEachDatabase("seedDatabase", ({ handle }) => {
  it("loads the NAICS list and the bundled opportunities once, and reports the real count", async () => {
    const first = await seedDatabase(handle());
    expect(first).toEqual({ orgs: 1, users: 1, opportunities: 901 });
    const { db } = handle();
    const [naics] = await db.select({ n: sql<number>`count(*)::int` }).from(naicsCodes);
    expect(naics!.n).toBe(2125);

    // A newer copy of a notice (from a real ingestion) survives a second seed.
    await db.update(opportunities).set({ title: "Newer copy from SAM.gov" }).where(eq(opportunities.noticeId, "93ff6984aa124180ac68e67f7d1ab55d"));
    expect(await seedDatabase(handle())).toEqual(first);
    const [kept] = await db.select({ title: opportunities.title }).from(opportunities).where(eq(opportunities.noticeId, "93ff6984aa124180ac68e67f7d1ab55d"));
    expect(kept!.title).toBe("Newer copy from SAM.gov");
  });
});
