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
    const { orgId } = await newOrg("fresh");
    expect(await getOnboardingState(orgId)).toEqual({
      step: "profile",
      profile: null,
      progress: null,
      firstAlert: null,
    });
  });

  it("enforces the step order on the server", async () => {
    const { orgId, actor } = await newOrg("order", "member");
    expect(await code(createFirstAlert(orgId, actor, alertInput, T0))).toBe("conflict");
    expect(await code(onboardingMatches(orgId))).toBe("conflict");
    expect(await code(markMatchesViewed(orgId, actor, T0))).toBe("conflict");
    expect(await code(choosePlan(orgId, actor, "free", T0))).toBe("conflict");
    expect(await code(completeOnboarding(orgId, actor, T0))).toBe("conflict");
    expect(await alertCount(orgId)).toBe(0);

    await saveBusinessProfile(orgId, actor, cyberProfile, minutes(1));
    expect(await code(markMatchesViewed(orgId, actor, minutes(2)))).toBe("conflict");
    expect(await code(choosePlan(orgId, actor, "free", minutes(2)))).toBe("conflict");
    expect(await code(choosePlan(orgId, actor, "pro", minutes(2)))).toBe("conflict");
    expect(await code(completeOnboarding(orgId, actor, minutes(2)))).toBe("conflict");
    const state = await getOnboardingState(orgId);
    expect(state.step).toBe("alert");
    expect(state.progress).toMatchObject({ planChosenAt: null, onboardingCompletedAt: null, matchesViewedAt: null });
  });

  it("records each step's time and walks profile → alert → matches → plan → done", async () => {
    const { orgId, actor } = await newOrg("walk");
    const profile = await saveBusinessProfile(
      orgId,
      actor,
      { ...cyberProfile, states: ["va"], setAsides: ["sba"] },
      minutes(1),
    );
    expect(profile).toMatchObject({
      orgId,
      companyName: "Acme Cyber LLC",
      naicsCodes: ["5415"],
      states: ["VA"],
      setAsides: ["SBA"],
      updatedAt: minutes(1),
    });
    let state = await getOnboardingState(orgId);
    expect(state.step).toBe("alert");
    expect(state.progress).toMatchObject({
      profileCompletedAt: minutes(1),
      lastActivityAt: minutes(1),
      alertCompletedAt: null,
    });

    // Saving again edits the profile; the first completion time stays for the funnel.
    await saveBusinessProfile(orgId, actor, { ...cyberProfile, keywords: ["cybersecurity", "zero trust"] }, minutes(2));
    state = await getOnboardingState(orgId);
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

    const { alert, created } = await createFirstAlert(orgId, actor, alertInput, minutes(3));
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
    state = await getOnboardingState(orgId);
    expect(state.step).toBe("matches");
    expect(state.firstAlert?.id).toBe(alert.id);
    expect(state.progress).toMatchObject({
      alertCompletedAt: minutes(3),
      firstAlertId: alert.id,
      lastActivityAt: minutes(3),
    });

    await markMatchesViewed(orgId, actor, minutes(4));
    await markMatchesViewed(orgId, actor, minutes(5));
    state = await getOnboardingState(orgId);
    expect(state.step).toBe("plan");
    expect(state.progress).toMatchObject({ matchesViewedAt: minutes(4), lastActivityAt: minutes(5) });

    const paid = await choosePlan(orgId, actor, "pro", minutes(6));
    expect(paid).toMatchObject({ plan: "pro", completed: false, checkout: "stripe", trialDays: 7 });
    state = await getOnboardingState(orgId);
    expect(state.step).toBe("plan");
    expect(state.progress).toMatchObject({ planChosenAt: minutes(6), onboardingCompletedAt: null });
    // No payment is faked: the org stays on its plan until checkout exists.
    const [stillFree] = await db().select().from(organizations).where(eq(organizations.id, orgId));
    expect(stillFree!.plan).toBe("free");

    const free = await choosePlan(orgId, actor, "free", minutes(7));
    expect(free).toMatchObject({ plan: "free", completed: true });
    state = await getOnboardingState(orgId);
    expect(state.step).toBe("done");
    expect(state.progress).toMatchObject({ planChosenAt: minutes(7), onboardingCompletedAt: minutes(7) });

    await completeOnboarding(orgId, actor, minutes(8));
    expect((await getOnboardingState(orgId)).progress).toMatchObject({
      onboardingCompletedAt: minutes(7),
      lastActivityAt: minutes(8),
    });
  });

  it("completeOnboarding works once an alert exists, and refuses an unknown plan", async () => {
    const { orgId, actor } = await newOrg("complete", "admin");
    await saveBusinessProfile(orgId, actor, cyberProfile, minutes(1));
    await createFirstAlert(orgId, actor, alertInput, minutes(2));
    expect(await code(choosePlan(orgId, actor, "gold" as "pro", minutes(3)))).toBe("validation_failed");
    const progress = await completeOnboarding(orgId, actor, minutes(3));
    expect(progress.onboardingCompletedAt).toEqual(minutes(3));
    expect((await getOnboardingState(orgId)).step).toBe("done");
  });

  it("the first alert is created once: a second submit returns the same alert", async () => {
    const { orgId, actor } = await newOrg("twice");
    await saveBusinessProfile(orgId, actor, cyberProfile, minutes(1));
    const first = await createFirstAlert(orgId, actor, alertInput, minutes(2));
    const again = await createFirstAlert(
      orgId,
      actor,
      { ...alertInput, name: "Another name", frequency: "weekly" },
      minutes(3),
    );
    expect(again).toEqual({ alert: first.alert, created: false });
    expect(await alertCount(orgId)).toBe(1);
    expect((await getOnboardingState(orgId)).progress).toMatchObject({
      alertCompletedAt: minutes(2),
      firstAlertId: first.alert.id,
    });
  });

  it("two simultaneous first-alert submits leave one alert", async () => {
    const { orgId, actor } = await newOrg("race");
    await saveBusinessProfile(orgId, actor, cyberProfile, minutes(1));
    const [a, b] = await Promise.all([
      createFirstAlert(orgId, actor, alertInput, minutes(2)),
      createFirstAlert(orgId, actor, alertInput, minutes(2)),
    ]);
    expect(a.alert.id).toBe(b.alert.id);
    expect([a.created, b.created].filter(Boolean).length).toBeLessThanOrEqual(1);
    expect(await alertCount(orgId)).toBe(1);
    expect((await getOnboardingState(orgId)).firstAlert?.id).toBe(a.alert.id);
  });

  it("an edited profile moves the first alert with it, unless the alert's filters were changed on their own", async () => {
    const { orgId, actor } = await newOrg("follow", "member");
    await saveBusinessProfile(orgId, actor, cyberProfile, minutes(1));
    const { alert } = await createFirstAlert(orgId, actor, alertInput, minutes(2));
    await saveBusinessProfile(orgId, actor, { ...cyberProfile, keywords: ["network"], states: ["TX"] }, minutes(3));
    expect((await getOnboardingState(orgId)).firstAlert).toMatchObject({
      id: alert.id,
      preferQ: "network",
      preferStates: ["TX"],
      naics: ["5415"],
      name: alert.name,
    });

    await updateAlert(contextOf(orgId, actor, minutes(4)), alert.id, { naics: ["54"] });
    await saveBusinessProfile(orgId, actor, { ...cyberProfile, keywords: ["cloud"] }, minutes(5));
    expect((await getOnboardingState(orgId)).firstAlert).toMatchObject({
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
    await saveBusinessProfile(orgId, actor, cyberProfile, minutes(2));
    const result = await createFirstAlert(orgId, actor, alertInput, minutes(3));
    expect(result).toMatchObject({ created: false, alert: { id: mine.id, name: "Mine" } });
    expect(await alertCount(orgId)).toBe(1);
    const state = await getOnboardingState(orgId);
    expect(state.step).toBe("matches");
    expect(state.progress).toMatchObject({ firstAlertId: mine.id, alertCompletedAt: minutes(3) });
  });

  it("validates the alert input with the form's rules", async () => {
    const { orgId, actor } = await newOrg("alert-invalid");
    await saveBusinessProfile(orgId, actor, cyberProfile, minutes(1));
    const error = await appErrorOf(
      createFirstAlert(orgId, actor, { name: "", frequency: "hourly" as "daily", deliveryEmail: "nope" }, minutes(2)),
    );
    expect(error.code).toBe("validation_failed");
    expect(error.extra.errors?.map((e) => e.path).sort()).toEqual(["deliveryEmail", "frequency", "name"]);
    expect(await alertCount(orgId)).toBe(0);
  });

  it("matches: the profile's NAICS codes decide, keywords, places and set-asides rank and explain", async () => {
    const { orgId, actor } = await newOrg("matches");
    await saveBusinessProfile(orgId, actor, { ...cyberProfile, states: ["AK"], setAsides: ["8A"] }, minutes(1));
    const matches = await onboardingMatches(orgId, 10);
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
    await saveBusinessProfile(orgId, actor, { ...cyberProfile, states: ["TX"], setAsides: [] }, minutes(2));
    const inTexas = await onboardingMatches(orgId, 10);
    expect(inTexas.results.map((r) => [r.notice_id, r.matched.state])).toEqual([
      ["CYBER-VA-1", null],
      ["NET-TX-1", "TX"],
    ]);
    await saveBusinessProfile(orgId, actor, { ...cyberProfile, keywords: ["network"], states: ["TX"] }, minutes(3));
    expect((await onboardingMatches(orgId, 10)).results.map((r) => r.notice_id)).toEqual(["NET-TX-1", "CYBER-VA-1"]);
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
    await saveBusinessProfile(orgId, actor, profile, minutes(1));
    await saveBusinessProfile(other.orgId, other.actor, profile, minutes(1));
    const ranked = async (id: string) =>
      (await onboardingMatches(id, 10)).results.map((r) => [r.notice_id, r.fit!.score]);
    // Exact NAICS 35 + solicitation 20 (+ 15 for the keyword in B's title); C is a presolicitation (12).
    expect(await ranked(orgId)).toEqual([
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
    const after = await onboardingMatches(orgId, 10);
    expect(after.total).toBe(2);
    expect(after.results.map((r) => [r.notice_id, r.fit!.score])).toEqual([
      ["CLEAN-C", 47],
      ["CLEAN-B", 40],
    ]);
    expect(after.results[1]!.fit!.reasons).toContain("Like a notice your team marked not relevant");
    // Another org's matches are untouched.
    expect((await ranked(other.orgId)).map(([id]) => id)).toEqual(["CLEAN-B", "CLEAN-A", "CLEAN-C"]);
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
    expect((await ranked(orgId)).map(([id]) => id)).toEqual(["CLEAN-B", "CLEAN-A", "CLEAN-C"]);
    expect(await code(unmarkNotRelevant(contextOf(orgId, actor), "CLEAN-A"))).toBe("not_found");
  });

  it("few matches: suggests broader NAICS codes, with counts, and applies a suggestion to the profile", async () => {
    const { orgId, actor } = await newOrg("widen", "member");
    await saveBusinessProfile(orgId, actor, { ...cyberProfile, naicsCodes: ["541519"], states: ["AK"] }, minutes(1));
    const matches = await onboardingMatches(orgId, 10);
    expect(matches.total).toBe(1);
    expect(matches.widen.map((w) => [w.kind, w.count])).toEqual([
      ["naics_4_digits", 2],
      ["naics_sectors", 2],
    ]);
    expect(matches.widen[0]!.fields.naicsCodes).toEqual(["5415"]);
    expect(matches.widen[1]!.fields.naicsCodes).toEqual(["54"]);

    expect(await code(applyWidenSuggestion(orgId, actor, "drop_states", minutes(2)))).toBe("conflict");
    const widened = await applyWidenSuggestion(orgId, actor, "naics_4_digits", minutes(2));
    expect(widened).toMatchObject({
      states: ["AK"],
      naicsCodes: ["5415"],
      keywords: ["cybersecurity"],
      companyName: "Acme Cyber LLC",
      updatedAt: minutes(2),
    });
    expect((await onboardingMatches(orgId, 10)).results.map((r) => r.notice_id)).toEqual(["CYBER-VA-1", "NET-TX-1"]);
  });

  it("tenancy: one org's onboarding never touches another's", async () => {
    const a = await newOrg("tenant-a");
    const b = await newOrg("tenant-b");
    await saveBusinessProfile(a.orgId, a.actor, cyberProfile, minutes(1));
    await createFirstAlert(a.orgId, a.actor, alertInput, minutes(2));
    await choosePlan(a.orgId, a.actor, "free", minutes(3));

    expect(await getOnboardingState(b.orgId)).toEqual({
      step: "profile",
      profile: null,
      progress: null,
      firstAlert: null,
    });
    expect(await alertCount(b.orgId)).toBe(0);
    expect(await code(onboardingMatches(b.orgId))).toBe("conflict");

    // Unknown or malformed org ids answer not found.
    expect(await code(getOnboardingState("not-a-uuid"))).toBe("not_found");
    expect(await code(saveBusinessProfile(randomUUID(), a.actor, cyberProfile, minutes(4)))).toBe("not_found");
    const rows = await db().select().from(businessProfiles);
    expect(rows.filter((r) => r.orgId === b.orgId)).toEqual([]);
  });

  it("viewers may look but not change anything", async () => {
    const { orgId, actor } = await newOrg("viewer", "viewer");
    expect(await code(saveBusinessProfile(orgId, actor, cyberProfile, minutes(1)))).toBe("forbidden");
    expect(await code(createFirstAlert(orgId, actor, alertInput, minutes(1)))).toBe("forbidden");
    expect(await code(applyWidenSuggestion(orgId, actor, "drop_states", minutes(1)))).toBe("forbidden");
    expect(await code(markMatchesViewed(orgId, actor, minutes(1)))).toBe("forbidden");
    expect(await code(choosePlan(orgId, actor, "free", minutes(1)))).toBe("forbidden");
    expect(await code(completeOnboarding(orgId, actor, minutes(1)))).toBe("forbidden");
    expect(await code(saveBusinessProfile(orgId, { ...actor, role: "billing" }, cyberProfile, minutes(1)))).toBe(
      "forbidden",
    );
    expect((await db().select().from(onboardingProgress).where(eq(onboardingProgress.orgId, orgId))).length).toBe(0);
    expect((await getOnboardingState(orgId)).step).toBe("profile");
  });
});
