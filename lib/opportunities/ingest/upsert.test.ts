import fs from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { beforeEach, expect, it } from "vitest";
import { db } from "@/db/client";
import { opportunities } from "@/db/schema";
import { describeEachDatabase } from "@/tests/db";
import { normalizeApiRecord, normalizeCsvRecord, type NewOpportunity } from "./normalize";
import { upsertOpportunities } from "./upsert";

const bundled = JSON.parse(
  fs.readFileSync(
    path.resolve(import.meta.dirname, "../../../db/seed-data/sam/contract-opportunities_2026-04-24.json"),
    "utf8",
  ),
) as Record<string, unknown>[];
const rows: NewOpportunity[] = bundled.flatMap((r) => {
  const result = normalizeCsvRecord(r);
  return result.ok ? [result.opportunity] : [];
});

const alpha = (
  JSON.parse(
    fs.readFileSync(
      path.resolve(import.meta.dirname, "../../../tests/fixtures/sam/api-v2/alpha_test-environment_901.json"),
      "utf8",
    ),
  ) as { opportunitiesData: Record<string, unknown>[] }
).opportunitiesData.flatMap((r) => {
  const result = normalizeApiRecord(r);
  return result.ok ? [result.opportunity] : [];
});

const BACKFILL = fs.readFileSync(
  path.resolve(import.meta.dirname, "../../../db/migrations/0030_notice_details_backfill.sql"),
  "utf8",
);

const T1 = new Date("2026-04-25T06:00:00.000Z");
const T2 = new Date("2026-04-26T06:00:00.000Z");
const T3 = new Date("2026-04-27T06:00:00.000Z");

async function stats() {
  const [row] = await db()
    .select({
      total: sql<number>`count(*)::int`,
      notices: sql<number>`count(distinct ${opportunities.noticeId})::int`,
      minCreated: sql<string>`min(${opportunities.createdAt})::text`,
      maxCreated: sql<string>`max(${opportunities.createdAt})::text`,
      minUpdated: sql<string>`min(${opportunities.updatedAt})::text`,
      maxUpdated: sql<string>`max(${opportunities.updatedAt})::text`,
    })
    .from(opportunities);
  return row!;
}

describeEachDatabase("upsertOpportunities", () => {
  beforeEach(async () => {
    await db().delete(opportunities);
  });

  it("inserts every row once, then updates them all on a re-run, without duplicates", async () => {
    expect(rows).toHaveLength(901);
    expect(await upsertOpportunities(rows, T1)).toEqual({ inserted: 901, updated: 0 });
    const first = await stats();
    expect(first).toMatchObject({ total: 901, notices: 901 });
    expect(new Date(first.minCreated).toISOString()).toBe(T1.toISOString());

    expect(await upsertOpportunities(rows, T2)).toEqual({ inserted: 0, updated: 901 });
    const second = await stats();
    expect(second).toMatchObject({ total: 901, notices: 901 });
    // First seen stays; identical copies are not rewritten, so the write time stays too.
    expect(new Date(second.minCreated).toISOString()).toBe(T1.toISOString());
    expect(new Date(second.maxCreated).toISOString()).toBe(T1.toISOString());
    expect(new Date(second.minUpdated).toISOString()).toBe(T1.toISOString());
    expect(new Date(second.maxUpdated).toISOString()).toBe(T1.toISOString());

    // One copy that differs is rewritten, and only that one.
    const changed = { ...rows[0]!, title: `${rows[0]!.title} (amended)` };
    expect(await upsertOpportunities([changed, ...rows.slice(1)], T3)).toEqual({ inserted: 0, updated: 901 });
    const third = await stats();
    expect(new Date(third.minUpdated).toISOString()).toBe(T1.toISOString());
    expect(new Date(third.maxUpdated).toISOString()).toBe(T3.toISOString());
    const [rewritten] = await db()
      .select({ updatedAt: opportunities.updatedAt })
      .from(opportunities)
      .where(eq(opportunities.noticeId, changed.noticeId));
    expect(rewritten!.updatedAt.toISOString()).toBe(T3.toISOString());
  });

  it("overwrites SAM.gov's fields in place, keeping the row id, and refreshes the search vector", async () => {
    const original = rows[0]!;
    await upsertOpportunities([original], T1);
    const [before] = await db().select({ id: opportunities.id }).from(opportunities);
    const changed = {
      ...original,
      title: "Renamed notice about zeppelins",
      naicsCode: "541511",
      responseDeadline: null,
    };
    expect(await upsertOpportunities([changed], T2)).toEqual({ inserted: 0, updated: 1 });
    const [after] = await db()
      .select({
        id: opportunities.id,
        title: opportunities.title,
        naics: opportunities.naicsCode,
        deadline: opportunities.responseDeadline,
        matches: sql<boolean>`${opportunities.searchVector} @@ to_tsquery('english', 'zeppelin')`,
      })
      .from(opportunities);
    expect(after).toEqual({
      id: before!.id,
      title: "Renamed notice about zeppelins",
      naics: "541511",
      deadline: null,
      matches: true,
    });
  });

  it("counts new and known rows in one batch, and a notice repeated in the input as inserted then updated", async () => {
    await upsertOpportunities(rows.slice(0, 5), T1);
    const repeated = { ...rows[7]!, title: "Last copy wins" };
    const input = [...rows.slice(3, 8), repeated];
    // rows 3–4 are known, 5–7 new, and rows[7] comes twice.
    expect(await upsertOpportunities(input, T2)).toEqual({ inserted: 3, updated: 3 });
    expect(await stats()).toMatchObject({ total: 8, notices: 8 });
    const [row] = await db()
      .select({ title: opportunities.title })
      .from(opportunities)
      .where(sql`${opportunities.noticeId} = ${repeated.noticeId}`);
    expect(row!.title).toBe("Last copy wins");
  });

  it("splits the input into batches of the given size and counts across them", async () => {
    expect(await upsertOpportunities(rows.slice(0, 23), T1, db(), 7)).toEqual({ inserted: 23, updated: 0 });
    expect(await upsertOpportunities(rows.slice(10, 30), T2, db(), 7)).toEqual({ inserted: 7, updated: 13 });
    expect(await stats()).toMatchObject({ total: 30, notices: 30 });
  });

  it("writes nothing for no rows", async () => {
    expect(await upsertOpportunities([], T1)).toEqual({ inserted: 0, updated: 0 });
  });

  it("stores the contacts, attachments, award and agency levels, and the backfill of older rows reads them the same", async () => {
    await upsertOpportunities([...rows, ...alpha], T1);
    const details = () =>
      db()
        .select({
          noticeId: opportunities.noticeId,
          agencyLevels: opportunities.agencyLevels,
          contacts: opportunities.contacts,
          resourceLinks: opportunities.resourceLinks,
          award: opportunities.award,
        })
        .from(opportunities)
        .orderBy(opportunities.noticeId);
    const expected = [...rows, ...alpha]
      .map(({ noticeId, agencyLevels, contacts, resourceLinks, award }) => ({
        noticeId,
        agencyLevels,
        contacts,
        resourceLinks,
        award,
      }))
      .sort((a, b) => (a.noticeId < b.noticeId ? -1 : 1));
    const stored = await details();
    expect(stored).toEqual(expected);
    expect(stored.find((r) => r.noticeId === "ff451472599545b88d5d260365c9c55a")!.resourceLinks).toHaveLength(4);

    // Rows written before the columns existed hold their defaults until the migration fills them.
    await db().execute(
      sql`update ${opportunities} set agency_levels = '{}', contacts = '[]', resource_links = '[]', award = null`,
    );
    await db().execute(sql.raw(BACKFILL));
    expect(await details()).toEqual(expected);
  });
});
