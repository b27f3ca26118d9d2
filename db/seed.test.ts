import { eq, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { describeEachDatabase } from "@/tests/db";
import { ingestionCursors, naicsCodes, opportunities } from "./schema";
import { seedDatabase } from "./seed";

describeEachDatabase("seedDatabase", ({ handle }) => {
  it("loads the NAICS list and the first 600 notices of the bundled day once (ingestion replays the rest), and reports the real count", async () => {
    const first = await seedDatabase(handle());
    expect(first).toEqual({ orgs: 1, users: 1, opportunities: 600 });
    const [cursor] = await handle().db.select().from(ingestionCursors).where(eq(ingestionCursors.source, "sam_snapshot"));
    expect(cursor!.nextOffset).toBe(600);
    const { db } = handle();
    const [naics] = await db.select({ n: sql<number>`count(*)::int` }).from(naicsCodes);
    expect(naics!.n).toBe(2125);

    // A newer copy of a notice (from a real ingestion) survives a second seed.
    await db.update(opportunities).set({ title: "Newer copy from SAM.gov" }).where(eq(opportunities.noticeId, "db5f20736f6a435e9bb33d031517dff4"));
    expect(await seedDatabase(handle())).toEqual(first);
    const [kept] = await db.select({ title: opportunities.title }).from(opportunities).where(eq(opportunities.noticeId, "db5f20736f6a435e9bb33d031517dff4"));
    expect(kept!.title).toBe("Newer copy from SAM.gov");
  });
});
