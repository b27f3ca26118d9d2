import { asc, eq, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { db } from "@/db/client";
import { ingestionCursors, noticeChanges, noticeVersions, opportunities } from "@/db/schema";
import { changesOfNotice } from "../changes";
import { DEMO_AMENDMENTS } from "./demo-amendments";
import { upsertOpportunities } from "./upsert";
import { describeEachDatabase } from "@/tests/db";
import { noticeIdsCreatedBetween } from "./ingested-notices";
import {
  releaseSnapshotBatch,
  snapshotNotices,
  SNAPSHOT_BATCH,
  SNAPSHOT_SEEDED,
  SNAPSHOT_SOURCE,
} from "./snapshot-replay";

const T0 = new Date("2026-12-03T09:00:00Z");
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

async function storedCount() {
  const [row] = await db()
    .select({ n: sql<number>`count(*)::int` })
    .from(opportunities);
  return row!.n;
}

describeEachDatabase("releaseSnapshotBatch (the demo feed)", () => {
  it("releases the bundled day in posting order, batch after batch, from the stored cursor until it is exhausted", async () => {
    const notices = await snapshotNotices();
    expect(notices).toHaveLength(901);

    const seeded = await releaseSnapshotBatch({ size: SNAPSHOT_SEEDED, now: T0 });
    expect(seeded).toEqual({
      inserted: 600,
      updated: 0,
      amended: 0,
      released: 600,
      remaining: 301,
      at: T0.toISOString(),
    });

    const next = await releaseSnapshotBatch({ now: minutes(1) });
    expect(next).toEqual({
      inserted: SNAPSHOT_BATCH,
      updated: 0,
      // The first demo amendment (an earlier notice's deadline) comes with it.
      amended: 1,
      released: 630,
      remaining: 271,
      at: minutes(1).toISOString(),
    });
    // Exactly the next 30 notices SAM.gov posted, stamped as new at the release: what instant alerts look at
    // (an amended notice keeps the stamp of its first release).
    const window = await noticeIdsCreatedBetween(minutes(1), minutes(1));
    expect(window.sort()).toEqual(
      notices
        .slice(600, 630)
        .map((n) => n.noticeId)
        .sort(),
    );
    const [latestSeeded] = await db()
      .select({ postedAt: opportunities.postedAt })
      .from(opportunities)
      .where(eq(opportunities.createdAt, T0))
      .orderBy(sql`${opportunities.postedAt} desc`)
      .limit(1);
    const [earliestReleased] = await db()
      .select({ postedAt: opportunities.postedAt })
      .from(opportunities)
      .where(eq(opportunities.createdAt, minutes(1)))
      .orderBy(asc(opportunities.postedAt))
      .limit(1);
    expect(earliestReleased!.postedAt.getTime()).toBeGreaterThanOrEqual(latestSeeded!.postedAt.getTime());

    // The cursor lives in the database: a process that starts over resumes where this one stopped.
    const [cursor] = await db().select().from(ingestionCursors).where(eq(ingestionCursors.source, SNAPSHOT_SOURCE));
    expect(cursor).toMatchObject({
      nextOffset: 630,
      postedFrom: "2026-04-24",
      postedTo: "2026-04-24",
      lastSuccessAt: minutes(1),
    });
    await db().update(ingestionCursors).set({ nextOffset: 890 }).where(eq(ingestionCursors.source, SNAPSHOT_SOURCE));
    const resumed = await releaseSnapshotBatch({ now: minutes(2) });
    expect(resumed).toMatchObject({ inserted: 11, released: 901, remaining: 0 });
    expect((await noticeIdsCreatedBetween(minutes(2), minutes(2))).sort()).toEqual(
      notices
        .slice(890)
        .map((n) => n.noticeId)
        .sort(),
    );

    // Exhausted: nothing more is released, nothing changes.
    expect(await releaseSnapshotBatch({ now: minutes(3) })).toBeNull();
    expect(await storedCount()).toBe(600 + 30 + 11);
  });

  it("never releases a notice twice when runs overlap", async () => {
    await db().update(ingestionCursors).set({ nextOffset: 630 }).where(eq(ingestionCursors.source, SNAPSHOT_SOURCE));
    const [a, b] = await Promise.all([
      releaseSnapshotBatch({ now: minutes(4) }),
      releaseSnapshotBatch({ now: minutes(4) }),
    ]);
    expect([a!.released, b!.released].sort()).toEqual([660, 690]);
    expect(a!.inserted + b!.inserted).toBe(60);
    // Each demo amendment once: the description (at 660) and the award, a new notice (at 690).
    expect(a!.amended + b!.amended).toBe(2);
    expect(await storedCount()).toBe(641 + 60 + 1);
  });
  it("releases the demo amendments of earlier notices through the ingestion path, so their history records them", async () => {
    await db().update(ingestionCursors).set({ nextOffset: 600 }).where(eq(ingestionCursors.source, SNAPSHOT_SOURCE));
    // The notices as the day first had them (the tests above amended some already).
    await db()
      .delete(opportunities)
      .where(sql`${opportunities.noticeId} like '%-award'`);
    const targets = new Set(DEMO_AMENDMENTS.map((a) => a.noticeId));
    await upsertOpportunities(
      (await snapshotNotices()).filter((n) => targets.has(n.noticeId)),
      T0,
    );
    await db().delete(noticeChanges);
    await db().delete(noticeVersions);
    const releases = [];
    for (let i = 0; i < 3; i++) releases.push(await releaseSnapshotBatch({ now: minutes(10 + i) }));
    expect(releases.map((r) => [r!.released, r!.amended])).toEqual([
      [630, 1],
      [660, 1],
      [690, 1],
    ]);
    const [deadline, description, award] = DEMO_AMENDMENTS;
    const history = async (noticeId: string) => {
      const [notice] = await db()
        .select({ solicitationNumber: opportunities.solicitationNumber })
        .from(opportunities)
        .where(eq(opportunities.noticeId, noticeId));
      return changesOfNotice(noticeId, notice!.solicitationNumber);
    };
    expect(await history(deadline!.noticeId)).toMatchObject([
      {
        kind: "amended",
        detected_at: minutes(10).toISOString(),
        summary: ["Response deadline moved from Apr 28, 2026 to May 12, 2026"],
      },
    ]);
    expect(await history(description!.noticeId)).toMatchObject([
      { kind: "amended", detected_at: minutes(11).toISOString(), summary: ["Description changed"] },
    ]);
    const [awarded] = await history(award!.noticeId);
    expect(awarded).toMatchObject({
      kind: "new_posting",
      notice_id: `${award!.noticeId}-award`,
      previous_notice_id: award!.noticeId,
      detected_at: minutes(12).toISOString(),
    });
    expect(awarded!.summary).toContain("Award: Demo Feed Networks LLC, $148,500.00, contract DEMO-N6264926QH013");
    // The earlier copies are kept; the amended notices keep their place in the feed (first released at T0).
    const versions = await db().select({ noticeId: noticeVersions.noticeId }).from(noticeVersions);
    expect(versions.map((v) => v.noticeId).sort()).toEqual([deadline!.noticeId, description!.noticeId].sort());
    const [amended] = await db().select().from(opportunities).where(eq(opportunities.noticeId, deadline!.noticeId));
    expect(amended!.createdAt).toEqual(T0);
  });
});
