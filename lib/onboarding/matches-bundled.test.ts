import { randomUUID } from "node:crypto";
import { beforeAll, expect, it } from "vitest";
import { db } from "@/db/client";
import { isNotNull, sql } from "drizzle-orm";
import { opportunities, users } from "@/db/schema";
import {
  fitOf,
  fitScoreSql,
  releaseSnapshotBatch,
  SNAPSHOT_REFERENCE_DATE,
  SNAPSHOT_SEEDED,
} from "@/lib/opportunities";
import { createOrganizationWithOwner, type OrgActor } from "@/lib/orgs";
import { describeEachDatabase } from "@/tests/db";
import { contextOf } from "@/tests/support/factories";
import { onboardingMatches, saveBusinessProfile } from "./index";

// The profile of the issue that found "No open opportunities match your profile yet".
const itProfile = {
  companyName: "Potomac IT Partners",
  naicsCodes: ["541511", "541512"],
  states: ["VA", "MD", "DC"],
  setAsides: ["SBA"],
  keywords: ["cybersecurity", "cloud", "software", "network"],
};

describeEachDatabase("onboarding matches on the bundled SAM.gov day", () => {
  let orgId: string;
  let owner: OrgActor;
  beforeAll(async () => {
    // What a fresh install holds before the demo feed releases anything.
    await releaseSnapshotBatch({ size: SNAPSHOT_SEEDED });
    const [user] = await db()
      .insert(users)
      .values({ email: `it-${randomUUID().slice(0, 8)}@matches.test`, name: "Pat" })
      .returning();
    const org = await createOrganizationWithOwner(db(), { name: "Potomac IT Partners", ownerUserId: user!.id });
    orgId = org.id;
    owner = { userId: user!.id, role: "owner" };
    await saveBusinessProfile(contextOf(orgId, owner, new Date("2026-12-03T09:00:00Z")), itProfile);
  });

  it("an IT small business in VA/MD/DC sees at least five open matches as of the snapshot's day, best fit first and explained", async () => {
    const matches = await onboardingMatches(contextOf(orgId, owner), 10, SNAPSHOT_REFERENCE_DATE);
    expect(matches.total).toBeGreaterThanOrEqual(5);
    expect(matches.results.length).toBe(Math.min(matches.total, 10));
    expect(matches.results.every((r) => r.status === "open" && ["541511", "541512"].includes(r.naics_code!))).toBe(
      true,
    );
    expect(matches.widen).toEqual([]);
    // The one notice that meets every preference comes first, and says so.
    const [best] = matches.results;
    expect(best).toMatchObject({
      notice_id: "2ecbf6e29d294762b92d691d96e399c3",
      matched: { naics: "541511", state: "VA", set_aside: "SBA" },
    });
    expect(best!.matched.keywords.length).toBeGreaterThan(0);
    expect(best!.fit).toMatchObject({
      reasons: expect.arrayContaining(["Exact NAICS 541511", "Small-business set-aside you qualify for", "In VA"]),
    });
    // The SQL order is the pure score's order.
    const scores = matches.results.map((r) => r.fit!.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    // A solicitation posted twice (the DoWEA PreK-12 RFI) appears once.
    const solicitations = matches.results.map((r) => r.solicitation_number);
    expect(new Set(solicitations).size).toBe(solicitations.length);
  });

  it("the SQL score is the pure score on every bundled notice, for a profile that uses every term", async () => {
    const profile = {
      naicsCodes: ["541512", "5413", "23", "31-33"],
      keywords: ["maintenance", "software", "repair services"],
      setAsides: ["SBA", "SDVOSBC"],
      states: ["VA", "CA", "TX"],
    };
    const o = opportunities;
    const [marked] = await db().select().from(o).where(isNotNull(o.solicitationNumber)).limit(1);
    const notRelevant = [
      {
        noticeId: "x",
        solicitationNumber: marked!.solicitationNumber,
        agency: marked!.agencyPath,
        naicsCode: marked!.naicsCode,
      },
    ];
    const rows = await db()
      .select({ o, sqlScore: sql<number>`${fitScoreSql(profile, notRelevant)}` })
      .from(o);
    expect(rows.length).toBeGreaterThan(100);
    const mismatches = rows.filter(
      ({ o: n, sqlScore }) => Number(sqlScore) !== fitOf({ ...n, agency: n.agencyPath }, profile, notRelevant).score,
    );
    expect(mismatches.map((m) => m.o.noticeId)).toEqual([]);
    // Every term counts somewhere, so the comparison covers each.
    const reasons = rows.flatMap(({ o: n }) => fitOf({ ...n, agency: n.agencyPath }, profile, notRelevant).reasons);
    for (const kind of [
      /^Exact NAICS/,
      /within your/,
      /set-aside you qualify/,
      /^In /,
      / in title$/,
      / in description$/,
      /^Presolicitation$/,
      /marked not relevant/,
    ])
      expect(
        reasons.some((r) => kind.test(r)),
        String(kind),
      ).toBe(true);
  });

  it("months later, with live dates, none of them is open any more, and only broader codes find any", async () => {
    const later = await onboardingMatches(contextOf(orgId, owner), 10, new Date("2026-12-03T09:00:00Z"));
    expect(later.total).toBe(0);
    // Only notices without a deadline stay open that long, and none is in 5415.
    expect(later.widen.map((w) => w.kind)).toEqual(["naics_sectors"]);
  });
});
