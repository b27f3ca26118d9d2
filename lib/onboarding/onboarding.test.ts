import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { db } from "@/db/client";
import {
  alerts,
  businessProfiles,
  memberships,
  onboardingProgress,
  opportunities,
  organizations,
  users,
} from "@/db/schema";
import { createAlert, updateAlert } from "@/lib/alerts";
import { listNotRelevant, markNotRelevant, unmarkNotRelevant } from "@/lib/relevance";
import type { ProblemCode } from "@/lib/http";
import { createOrganizationWithOwner, type OrgActor, type OrgRole } from "@/lib/orgs";
import { appErrorOf } from "@/tests/app-error";
import { describeEachDatabase } from "@/tests/db";
import {
  applyWidenSuggestion,
  choosePlan,
  completeOnboarding,
  createFirstAlert,
  getOnboardingState,
  markMatchesViewed,
  onboardingMatches,
  saveBusinessProfile,
} from "./index";
import { contextOf } from "@/tests/support/factories";

async function code(promise: Promise<unknown>): Promise<ProblemCode> {
  return (await appErrorOf(promise)).code;
}

const T0 = new Date("2026-04-24T07:00:00Z");
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

const cyberProfile = {
  companyName: "Acme Cyber LLC",
  naicsCodes: ["5415"],
  keywords: ["cybersecurity"],
  setAsides: [] as string[],
  states: [] as string[],
};
const alertInput = {
  name: "Acme Cyber LLC opportunities",
  frequency: "daily" as const,
  deliveryEmail: "dana@acme.test",
};

describeEachDatabase("onboarding wizard", () => {
  async function newOrg(label: string, role: OrgRole = "owner") {
    const [owner] = await db()
      .insert(users)
      .values({ email: `${label}-${randomUUID().slice(0, 8)}@onboarding.test`, name: label })
      .returning();
    const org = await createOrganizationWithOwner(db(), { name: `${label} Inc`, ownerUserId: owner!.id });
    let actor: OrgActor = { userId: owner!.id, role: "owner" };
    if (role !== "owner") {
      const [user] = await db()
        .insert(users)
        .values({ email: `${label}-${role}-${randomUUID().slice(0, 8)}@onboarding.test`, name: role })
        .returning();
      await db().insert(memberships).values({ orgId: org.id, userId: user!.id, role });
      actor = { userId: user!.id, role };
    }
    return { orgId: org.id, actor };
  }

  async function alertCount(orgId: string) {
    return (await db().select().from(alerts).where(eq(alerts.orgId, orgId))).length;
  }

  beforeAll(async () => {
    const base = { postedAt: T0, source: "test", raw: {}, agencyPath: "DEPT OF DEFENSE.DISA" };
    await db()
      .insert(opportunities)
      .values([
        {
          ...base,
          noticeId: "CYBER-VA-1",
          title: "Cybersecurity assessment and authorization support",
          naicsCode: "541512",
          popState: "VA",
          setAsideCode: "SBA",
          description: "The agency requires cybersecurity assessment, continuous monitoring and penetration testing.",
          descriptionExcerpt: "The agency requires cybersecurity assessment…",
        },
        {
          ...base,
          noticeId: "NET-TX-1",
          title: "Network operations center staffing",
          naicsCode: "541519",
          popState: "TX",
          description: "Staffing for a network operations center.",
          descriptionExcerpt: "Staffing for a network operations center.",
        },
        {
          ...base,
          noticeId: "BUILD-MD-1",
          title: "Warehouse construction",
          naicsCode: "236220",
          popState: "MD",
          setAsideCode: "SDVOSBC",
          description: "Construct a warehouse with cybersecurity cameras.",
          descriptionExcerpt: "Construct a warehouse…",
        },
      ]);
  });

  it("a new org starts at the profile step with nothing stored", async () => {
    const { orgId, actor } = await newOrg("fresh");
    expect(await getOnboardingState(contextOf(orgId, actor))).toEqual({
      step: "profile",
      profile: null,
      progress: null,
      firstAlert: null,
    });
  });

  it("enforces the step order on the server", async () => {
    const { orgId, actor } = await newOrg("order", "member");
    expect(await code(createFirstAlert(contextOf(orgId, actor, T0), alertInput))).toBe("conflict");
    expect(await code(onboardingMatches(contextOf(orgId, actor)))).toBe("conflict");
    expect(await code(markMatchesViewed(contextOf(orgId, actor, T0)))).toBe("conflict");
    expect(await code(choosePlan(contextOf(orgId, actor, T0), "free"))).toBe("conflict");
    expect(await code(completeOnboarding(contextOf(orgId, actor, T0)))).toBe("conflict");
    expect(await alertCount(orgId)).toBe(0);

    await saveBusinessProfile(contextOf(orgId, actor, minutes(1)), cyberProfile);
    expect(await code(markMatchesViewed(contextOf(orgId, actor, minutes(2))))).toBe("conflict");
    expect(await code(choosePlan(contextOf(orgId, actor, minutes(2)), "free"))).toBe("conflict");
    expect(await code(choosePlan(contextOf(orgId, actor, minutes(2)), "pro"))).toBe("conflict");
    expect(await code(completeOnboarding(contextOf(orgId, actor, minutes(2))))).toBe("conflict");
    const state = await getOnboardingState(contextOf(orgId, actor));
    expect(state.step).toBe("alert");
    expect(state.progress).toMatchObject({ planChosenAt: null, onboardingCompletedAt: null, matchesViewedAt: null });
  });

  it("records each step's time and walks profile → alert → matches → plan → done", async () => {
    const { orgId, actor } = await newOrg("walk");
    const profile = await saveBusinessProfile(contextOf(orgId, actor, minutes(1)), {
      ...cyberProfile,
      states: ["va"],
      setAsides: ["sba"],
    });
    expect(profile).toMatchObject({
      orgId,
      companyName: "Acme Cyber LLC",
      naicsCodes: ["5415"],
      states: ["VA"],
      setAsides: ["SBA"],
      updatedAt: minutes(1),
    });
    let state = await getOnboardingState(contextOf(orgId, actor));
    expect(state.step).toBe("alert");
    expect(state.progress).toMatchObject({
      profileCompletedAt: minutes(1),
      lastActivityAt: minutes(1),
      alertCompletedAt: null,
    });

    // Saving again edits the profile; the first completion time stays for the funnel.
    await saveBusinessProfile(contextOf(orgId, actor, minutes(2)), {
      ...cyberProfile,
      keywords: ["cybersecurity", "zero trust"],
    });
    state = await getOnboardingState(contextOf(orgId, actor));
    expect(state.profile).toMatchObject({
      keywords: ["cybersecurity", "zero trust"],
      states: [],
      setAsides: [],
      updatedAt: minutes(2),
    });
    expect(state.progress).toMatchObject({ profileCompletedAt: minutes(1), lastActivityAt: minutes(2) });
    // The company name describes the business; the account's name is not renamed.
    const [org] = await db().select().from(organizations).where(eq(organizations.id, orgId));
    expect(org!.name).toBe("walk Inc");

    const { alert, created } = await createFirstAlert(contextOf(orgId, actor, minutes(3)), alertInput);
    expect(created).toBe(true);
    expect(alert).toMatchObject({
      orgId,
      name: "Acme Cyber LLC opportunities",
      frequency: "daily",
      deliveryEmail: "dana@acme.test",
      // The matches' criteria: the NAICS codes narrow, the keywords rank.
      q: null,
      naics: ["5415"],
      states: [],
      setAsides: [],
      preferQ: "cybersecurity or zero trust",
      preferStates: [],
      preferSetAsides: [],
    });
    state = await getOnboardingState(contextOf(orgId, actor));
    expect(state.step).toBe("matches");
    expect(state.firstAlert?.id).toBe(alert.id);
    expect(state.progress).toMatchObject({
      alertCompletedAt: minutes(3),
      firstAlertId: alert.id,
      lastActivityAt: minutes(3),
    });

    await markMatchesViewed(contextOf(orgId, actor, minutes(4)));
    await markMatchesViewed(contextOf(orgId, actor, minutes(5)));
    state = await getOnboardingState(contextOf(orgId, actor));
    expect(state.step).toBe("plan");
    expect(state.progress).toMatchObject({ matchesViewedAt: minutes(4), lastActivityAt: minutes(5) });

    const paid = await choosePlan(contextOf(orgId, actor, minutes(6)), "pro");
    expect(paid).toMatchObject({ plan: "pro", completed: false, checkout: "stripe", trialDays: 7 });
    state = await getOnboardingState(contextOf(orgId, actor));
    expect(state.step).toBe("plan");
    expect(state.progress).toMatchObject({ planChosenAt: minutes(6), onboardingCompletedAt: null });
    // No payment is faked: the org stays on its plan until checkout exists.
    const [stillFree] = await db().select().from(organizations).where(eq(organizations.id, orgId));
    expect(stillFree!.plan).toBe("free");

    const free = await choosePlan(contextOf(orgId, actor, minutes(7)), "free");
    expect(free).toMatchObject({ plan: "free", completed: true });
    state = await getOnboardingState(contextOf(orgId, actor));
    expect(state.step).toBe("done");
    expect(state.progress).toMatchObject({ planChosenAt: minutes(7), onboardingCompletedAt: minutes(7) });

    await completeOnboarding(contextOf(orgId, actor, minutes(8)));
    expect((await getOnboardingState(contextOf(orgId, actor))).progress).toMatchObject({
      onboardingCompletedAt: minutes(7),
      lastActivityAt: minutes(8),
    });
  });

  it("completeOnboarding works once an alert exists, and refuses an unknown plan", async () => {
    const { orgId, actor } = await newOrg("complete", "admin");
    await saveBusinessProfile(contextOf(orgId, actor, minutes(1)), cyberProfile);
    await createFirstAlert(contextOf(orgId, actor, minutes(2)), alertInput);
    expect(await code(choosePlan(contextOf(orgId, actor, minutes(3)), "gold" as "pro"))).toBe("validation_failed");
    const progress = await completeOnboarding(contextOf(orgId, actor, minutes(3)));
    expect(progress.onboardingCompletedAt).toEqual(minutes(3));
    expect((await getOnboardingState(contextOf(orgId, actor))).step).toBe("done");
  });

  it("the first alert is created once: a second submit returns the same alert", async () => {
    const { orgId, actor } = await newOrg("twice");
    await saveBusinessProfile(contextOf(orgId, actor, minutes(1)), cyberProfile);
    const first = await createFirstAlert(contextOf(orgId, actor, minutes(2)), alertInput);
    const again = await createFirstAlert(contextOf(orgId, actor, minutes(3)), {
      ...alertInput,
      name: "Another name",
      frequency: "weekly",
    });
    expect(again).toEqual({ alert: first.alert, created: false });
    expect(await alertCount(orgId)).toBe(1);
    expect((await getOnboardingState(contextOf(orgId, actor))).progress).toMatchObject({
      alertCompletedAt: minutes(2),
      firstAlertId: first.alert.id,
    });
  });

  it("two simultaneous first-alert submits leave one alert", async () => {
    const { orgId, actor } = await newOrg("race");
    await saveBusinessProfile(contextOf(orgId, actor, minutes(1)), cyberProfile);
    const [a, b] = await Promise.all([
      createFirstAlert(contextOf(orgId, actor, minutes(2)), alertInput),
      createFirstAlert(contextOf(orgId, actor, minutes(2)), alertInput),
    ]);
    expect(a.alert.id).toBe(b.alert.id);
    expect([a.created, b.created].filter(Boolean).length).toBeLessThanOrEqual(1);
    expect(await alertCount(orgId)).toBe(1);
    expect((await getOnboardingState(contextOf(orgId, actor))).firstAlert?.id).toBe(a.alert.id);
  });

  it("an edited profile moves the first alert with it, unless the alert's filters were changed on their own", async () => {
    const { orgId, actor } = await newOrg("follow", "member");
    await saveBusinessProfile(contextOf(orgId, actor, minutes(1)), cyberProfile);
    const { alert } = await createFirstAlert(contextOf(orgId, actor, minutes(2)), alertInput);
    await saveBusinessProfile(contextOf(orgId, actor, minutes(3)), {
      ...cyberProfile,
      keywords: ["network"],
      states: ["TX"],
    });
    expect((await getOnboardingState(contextOf(orgId, actor))).firstAlert).toMatchObject({
      id: alert.id,
      preferQ: "network",
      preferStates: ["TX"],
      naics: ["5415"],
      name: alert.name,
    });

    await updateAlert(contextOf(orgId, actor, minutes(4)), alert.id, { naics: ["54"] });
    await saveBusinessProfile(contextOf(orgId, actor, minutes(5)), { ...cyberProfile, keywords: ["cloud"] });
    expect((await getOnboardingState(contextOf(orgId, actor))).firstAlert).toMatchObject({
      preferQ: "network",
      preferStates: ["TX"],
      naics: ["54"],
    });
    expect(await alertCount(orgId)).toBe(1);
  });

  it("an alert made outside the wizard completes the step when the plan has room for no other", async () => {
    const { orgId, actor } = await newOrg("outside");
    const mine = await createAlert(contextOf(orgId, actor, minutes(1)), {
      name: "Mine",
      frequency: "weekly",
      q: null,
      naics: ["23"],
      states: [],
      set_asides: [],
    });
    await saveBusinessProfile(contextOf(orgId, actor, minutes(2)), cyberProfile);
    const result = await createFirstAlert(contextOf(orgId, actor, minutes(3)), alertInput);
    expect(result).toMatchObject({ created: false, alert: { id: mine.id, name: "Mine" } });
    expect(await alertCount(orgId)).toBe(1);
    const state = await getOnboardingState(contextOf(orgId, actor));
    expect(state.step).toBe("matches");
    expect(state.progress).toMatchObject({ firstAlertId: mine.id, alertCompletedAt: minutes(3) });
  });

  it("validates the alert input with the form's rules", async () => {
    const { orgId, actor } = await newOrg("alert-invalid");
    await saveBusinessProfile(contextOf(orgId, actor, minutes(1)), cyberProfile);
    const error = await appErrorOf(
      createFirstAlert(contextOf(orgId, actor, minutes(2)), {
        name: "",
        frequency: "hourly" as "daily",
        deliveryEmail: "nope",
      }),
    );
    expect(error.code).toBe("validation_failed");
    expect(error.extra.errors?.map((e) => e.path).sort()).toEqual(["deliveryEmail", "frequency", "name"]);
    expect(await alertCount(orgId)).toBe(0);
  });

  it("matches: the profile's NAICS codes decide, keywords, places and set-asides rank and explain", async () => {
    const { orgId, actor } = await newOrg("matches");
    await saveBusinessProfile(contextOf(orgId, actor, minutes(1)), {
      ...cyberProfile,
      states: ["AK"],
      setAsides: ["8A"],
    });
    const matches = await onboardingMatches(contextOf(orgId, actor), 10);
    expect(matches.filters).toMatchObject({ naics: ["5415"], status: ["open"] });
    expect(matches.prefer).toEqual({ q: "cybersecurity", states: ["AK"], setAsides: ["8A"] });
    // Neither notice is in Alaska or set aside for 8(a), and NET-TX-1 names no keyword: both still match.
    expect(matches.total).toBe(2);
    expect(matches.results.map((r) => r.notice_id)).toEqual(["CYBER-VA-1", "NET-TX-1"]);
    const [hit, other] = matches.results;
    expect(hit!.matched).toMatchObject({ naics: "5415", state: null, set_aside: null });
    expect(hit!.matched.keywords.map((k) => k.toLowerCase())).toContain("cybersecurity");
    expect(hit!.highlights.title).toContain("<mark>");
    expect(other!.matched).toEqual({ keywords: [], naics: "5415", state: null, set_aside: null });

    // One preference met each (a keyword, a place): keyword relevance breaks the tie; two met rank first.
    await saveBusinessProfile(contextOf(orgId, actor, minutes(2)), { ...cyberProfile, states: ["TX"], setAsides: [] });
    const inTexas = await onboardingMatches(contextOf(orgId, actor), 10);
    expect(inTexas.results.map((r) => [r.notice_id, r.matched.state])).toEqual([
      ["CYBER-VA-1", null],
      ["NET-TX-1", "TX"],
    ]);
    await saveBusinessProfile(contextOf(orgId, actor, minutes(3)), {
      ...cyberProfile,
      keywords: ["network"],
      states: ["TX"],
    });
    expect((await onboardingMatches(contextOf(orgId, actor), 10)).results.map((r) => r.notice_id)).toEqual([
      "NET-TX-1",
      "CYBER-VA-1",
    ]);
  });

  it("not relevant: a member's mark hides the notice from the org's matches and lowers similar ones; viewers cannot mark", async () => {
    const { orgId, actor } = await newOrg("not-relevant");
    const other = await newOrg("not-relevant-other");
    const notice = { postedAt: T0, source: "test", raw: {}, naicsCode: "561720", description: "" };
    await db()
      .insert(opportunities)
      .values([
        { ...notice, noticeId: "CLEAN-A", title: "Janitorial services", agencyPath: "GSA.PBS", type: "Solicitation" },
        { ...notice, noticeId: "CLEAN-B", title: "Custodial services", agencyPath: "GSA.PBS", type: "Solicitation" },
        { ...notice, noticeId: "CLEAN-C", title: "Floor care", agencyPath: "VA.VHA", type: "Presolicitation" },
      ]);
    const profile = { ...cyberProfile, naicsCodes: ["561720"], keywords: ["custodial"] };
    await saveBusinessProfile(contextOf(orgId, actor, minutes(1)), profile);
    await saveBusinessProfile(contextOf(other.orgId, other.actor, minutes(1)), profile);
    const ranked = async (org: { orgId: string; actor: OrgActor }) =>
      (await onboardingMatches(contextOf(org.orgId, org.actor), 10)).results.map((r) => [r.notice_id, r.fit!.score]);
    // Exact NAICS 35 + solicitation 20 (+ 15 for the keyword in B's title); C is a presolicitation (12).
    expect(await ranked({ orgId, actor })).toEqual([
      ["CLEAN-B", 70],
      ["CLEAN-A", 55],
      ["CLEAN-C", 47],
    ]);

    const viewer = await db()
      .insert(users)
      .values({ email: `nr-viewer-${randomUUID().slice(0, 8)}@onboarding.test` })
      .returning();
    await db().insert(memberships).values({ orgId, userId: viewer[0]!.id, role: "viewer" });
    expect(await code(markNotRelevant(contextOf(orgId, { userId: viewer[0]!.id, role: "viewer" }), "CLEAN-A"))).toBe(
      "forbidden",
    );
    expect(await code(markNotRelevant(contextOf(orgId, actor), "NO-SUCH-NOTICE"))).toBe("not_found");

    const marked = await markNotRelevant(contextOf(orgId, actor, minutes(2)), "CLEAN-A");
    expect(marked).toMatchObject({ created: true, mark: { notice_id: "CLEAN-A", marked_by: actor.userId } });
    expect((await markNotRelevant(contextOf(orgId, actor, minutes(3)), "CLEAN-A")).created).toBe(false);
    // A is gone; B (same office, same NAICS) loses 30 and falls below C.
    const after = await onboardingMatches(contextOf(orgId, actor), 10);
    expect(after.total).toBe(2);
    expect(after.results.map((r) => [r.notice_id, r.fit!.score])).toEqual([
      ["CLEAN-C", 47],
      ["CLEAN-B", 40],
    ]);
    expect(after.results[1]!.fit!.reasons).toContain("Like a notice your team marked not relevant");
    // Another org's matches are untouched.
    expect((await ranked(other)).map(([id]) => id)).toEqual(["CLEAN-B", "CLEAN-A", "CLEAN-C"]);
    // Every role sees the org's list, with the title and who marked it; another org's is its own.
    expect(await listNotRelevant(contextOf(orgId, { userId: viewer[0]!.id, role: "viewer" }))).toEqual([
      {
        notice_id: "CLEAN-A",
        title: "Janitorial services",
        agency: "GSA.PBS",
        marked_by: actor.userId,
        marked_by_name: "not-relevant",
        created_at: minutes(2).toISOString(),
      },
    ]);
    expect(await listNotRelevant(contextOf(other.orgId, other.actor))).toEqual([]);

    await unmarkNotRelevant(contextOf(orgId, actor, minutes(4)), "CLEAN-A");
    expect((await ranked({ orgId, actor })).map(([id]) => id)).toEqual(["CLEAN-B", "CLEAN-A", "CLEAN-C"]);
    expect(await code(unmarkNotRelevant(contextOf(orgId, actor), "CLEAN-A"))).toBe("not_found");
  });

  it("few matches: suggests broader NAICS codes, with counts, and applies a suggestion to the profile", async () => {
    const { orgId, actor } = await newOrg("widen", "member");
    await saveBusinessProfile(contextOf(orgId, actor, minutes(1)), {
      ...cyberProfile,
      naicsCodes: ["541519"],
      states: ["AK"],
    });
    const matches = await onboardingMatches(contextOf(orgId, actor), 10);
    expect(matches.total).toBe(1);
    expect(matches.widen.map((w) => [w.kind, w.count])).toEqual([
      ["naics_4_digits", 2],
      ["naics_sectors", 2],
    ]);
    expect(matches.widen[0]!.fields.naicsCodes).toEqual(["5415"]);
    expect(matches.widen[1]!.fields.naicsCodes).toEqual(["54"]);

    expect(await code(applyWidenSuggestion(contextOf(orgId, actor, minutes(2)), "drop_states"))).toBe("conflict");
    const widened = await applyWidenSuggestion(contextOf(orgId, actor, minutes(2)), "naics_4_digits");
    expect(widened).toMatchObject({
      states: ["AK"],
      naicsCodes: ["5415"],
      keywords: ["cybersecurity"],
      companyName: "Acme Cyber LLC",
      updatedAt: minutes(2),
    });
    expect((await onboardingMatches(contextOf(orgId, actor), 10)).results.map((r) => r.notice_id)).toEqual([
      "CYBER-VA-1",
      "NET-TX-1",
    ]);
  });

  it("tenancy: one org's onboarding never touches another's", async () => {
    const a = await newOrg("tenant-a");
    const b = await newOrg("tenant-b");
    await saveBusinessProfile(contextOf(a.orgId, a.actor, minutes(1)), cyberProfile);
    await createFirstAlert(contextOf(a.orgId, a.actor, minutes(2)), alertInput);
    await choosePlan(contextOf(a.orgId, a.actor, minutes(3)), "free");

    expect(await getOnboardingState(contextOf(b.orgId, b.actor))).toEqual({
      step: "profile",
      profile: null,
      progress: null,
      firstAlert: null,
    });
    expect(await alertCount(b.orgId)).toBe(0);
    expect(await code(onboardingMatches(contextOf(b.orgId, b.actor)))).toBe("conflict");

    // Unknown or malformed org ids answer not found (a malformed one where its context is built).
    expect(() => contextOf("not-a-uuid", a.actor)).toThrow(expect.objectContaining({ code: "not_found" }));
    expect(await code(saveBusinessProfile(contextOf(randomUUID(), a.actor, minutes(4)), cyberProfile))).toBe(
      "not_found",
    );
    const rows = await db().select().from(businessProfiles);
    expect(rows.filter((r) => r.orgId === b.orgId)).toEqual([]);
  });

  it("viewers may look but not change anything", async () => {
    const { orgId, actor } = await newOrg("viewer", "viewer");
    expect(await code(saveBusinessProfile(contextOf(orgId, actor, minutes(1)), cyberProfile))).toBe("forbidden");
    expect(await code(createFirstAlert(contextOf(orgId, actor, minutes(1)), alertInput))).toBe("forbidden");
    expect(await code(applyWidenSuggestion(contextOf(orgId, actor, minutes(1)), "drop_states"))).toBe("forbidden");
    expect(await code(markMatchesViewed(contextOf(orgId, actor, minutes(1))))).toBe("forbidden");
    expect(await code(choosePlan(contextOf(orgId, actor, minutes(1)), "free"))).toBe("forbidden");
    expect(await code(completeOnboarding(contextOf(orgId, actor, minutes(1))))).toBe("forbidden");
    expect(
      await code(saveBusinessProfile(contextOf(orgId, { ...actor, role: "billing" }, minutes(1)), cyberProfile)),
    ).toBe("forbidden");
    expect((await db().select().from(onboardingProgress).where(eq(onboardingProgress.orgId, orgId))).length).toBe(0);
    expect((await getOnboardingState(contextOf(orgId, actor))).step).toBe("profile");
  });
});
