import { asc, eq } from "drizzle-orm";
import { beforeEach, expect, it } from "vitest";
import { db } from "@/db/client";
import { noticeChanges, noticeVersions, opportunities } from "@/db/schema";
import {
  addedAttachment,
  described,
  fromApi,
  fromCsv,
  runway,
  runwayAmended,
  runwayAward,
} from "@/tests/fixtures/amended-notices";
import { describeEachDatabase } from "@/tests/db";
import { storeIngestedBatch } from "./announce";
import { upsertOpportunities } from "./upsert";

const T1 = new Date("2025-02-01T06:00:00.000Z");
const T2 = new Date("2025-02-02T06:00:00.000Z");
const T3 = new Date("2025-03-11T06:00:00.000Z");
const source = "change-tracking-test";

const changes = () =>
  db()
    .select({
      noticeId: noticeChanges.noticeId,
      previousNoticeId: noticeChanges.previousNoticeId,
      solicitationNumber: noticeChanges.solicitationNumber,
      diff: noticeChanges.diff,
      detectedAt: noticeChanges.detectedAt,
    })
    .from(noticeChanges)
    .orderBy(asc(noticeChanges.id));
const versions = () =>
  db()
    .select({ noticeId: noticeVersions.noticeId, version: noticeVersions.version, at: noticeVersions.supersededAt })
    .from(noticeVersions)
    .orderBy(asc(noticeVersions.id));

describeEachDatabase("change tracking at ingestion", () => {
  beforeEach(async () => {
    await db().delete(opportunities);
    await db().delete(noticeChanges);
    await db().delete(noticeVersions);
  });

  it("keeps the overwritten copy and records a moved deadline and an added attachment; the same record again records nothing", async () => {
    await storeIngestedBatch(db(), [fromApi(runway)], { source, now: T1 });
    const link = addedAttachment;
    const amended = runwayAmended;
    expect(await storeIngestedBatch(db(), [fromApi(amended)], { source, now: T2 })).toEqual({
      inserted: 0,
      updated: 1,
    });

    const [change, ...others] = await changes();
    expect(others).toEqual([]);
    expect(change).toMatchObject({
      noticeId: runway.noticeId,
      previousNoticeId: runway.noticeId,
      solicitationNumber: "SANTIAGO-CRUZ10-FA300225R0004-RR",
      detectedAt: T2,
    });
    expect(Object.keys(change!.diff).sort()).toEqual(["resourceLinks", "responseDeadline"]);
    expect(new Date(change!.diff.responseDeadline!.from!).toISOString()).toBe("2025-02-03T19:30:00.000Z");
    expect(new Date(change!.diff.responseDeadline!.to!).toISOString()).toBe("2025-02-17T19:30:00.000Z");
    expect(change!.diff.resourceLinks).toEqual({ added: [link], removed: [] });

    const [kept, ...moreKept] = await versions();
    expect(moreKept).toEqual([]);
    expect(kept).toMatchObject({ noticeId: runway.noticeId, at: T2 });
    expect(kept!.version).toMatchObject({ notice_id: runway.noticeId, resource_links: runway.resourceLinks });
    // What the database derives from the record is not kept with it.
    for (const derived of ["search_vector", "description_passages", "passage_vectors"])
      expect(kept!.version).not.toHaveProperty(derived);
    expect(kept!.version).toHaveProperty("description");

    // Re-ingesting what is stored (the daily run sees the notice again) is no change.
    await storeIngestedBatch(db(), [fromApi(amended)], { source, now: T3 });
    await upsertOpportunities([fromApi(amended)], T3);
    expect(await changes()).toHaveLength(1);
    expect(await versions()).toHaveLength(1);
  });

  it("records an award notice under a known solicitation against the posting before it, with awardee and amount", async () => {
    await upsertOpportunities([fromApi(runway)], T1);
    expect(await upsertOpportunities([fromApi(runwayAward)], T3)).toEqual({ inserted: 1, updated: 0 });
    const [change, ...others] = await changes();
    expect(others).toEqual([]);
    expect(change).toMatchObject({
      noticeId: runwayAward.noticeId,
      previousNoticeId: runway.noticeId,
      diff: {
        type: { from: "Solicitation", to: "Award Notice" },
        award: { to: { number: "FA304725C0011", date: "2025-03-07", amountCents: 123456700, awardee: "ACME Inc." } },
        responseDeadline: { from: expect.any(String) },
      },
    });
    // The earlier posting is its own row: nothing overwritten, nothing kept.
    expect(await versions()).toEqual([]);
  });

  it("pairs postings of one solicitation that arrive in the same batch, and ignores an earlier posting stored later", async () => {
    await upsertOpportunities([fromApi(runway), fromApi(runwayAward)], T1);
    expect((await changes()).map((c) => [c.noticeId, c.previousNoticeId])).toEqual([
      [runwayAward.noticeId, runway.noticeId],
    ]);

    await db().delete(opportunities);
    await db().delete(noticeChanges);
    await upsertOpportunities([fromApi(runwayAward)], T1);
    await upsertOpportunities([fromApi(runway)], T2);
    expect(await changes()).toEqual([]);
  });

  it("records a changed description and a set-aside change from the extract, but not whitespace or unchanged fields", async () => {
    await upsertOpportunities([fromCsv(described)], T1);
    const text = described.Description as string;
    await upsertOpportunities([fromCsv({ ...described, Description: `  ${text.replace(/ /g, "  ")}\n` })], T2);
    // A different record (kept) with no material change (no event).
    expect(await versions()).toHaveLength(1);
    expect(await changes()).toEqual([]);

    await upsertOpportunities(
      [fromCsv({ ...described, Description: `${text} Amendment 1 extends the period.`, SetASideCode: "SDVOSBC" })],
      T3,
    );
    const [change] = await changes();
    expect(change!.diff).toMatchObject({
      description: { changed: true },
      setAside: { to: { code: "SDVOSBC" } },
    });
    expect(Object.keys(change!.diff).sort()).toEqual(["description", "setAside"]);
    const [stored] = await db()
      .select({ description: opportunities.description })
      .from(opportunities)
      .where(eq(opportunities.noticeId, described.NoticeId as string));
    expect(stored!.description).toContain("Amendment 1");
  });

  it("records a notice retitled cancelled and one SAM.gov deactivated", async () => {
    await upsertOpportunities([fromApi(runway)], T1);
    await upsertOpportunities(
      [fromApi({ ...runway, title: `CANCELLED - ${runway.title as string}`, active: "No" })],
      T2,
    );
    const [change] = await changes();
    expect(change!.diff).toEqual({ cancelled: true, active: { from: true, to: false } });
  });
});
