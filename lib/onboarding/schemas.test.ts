import { describe, expect, it } from "vitest";
import { keywordsToQuery, profileMatchCriteria } from "./profile-filters";
import { businessProfileSchema, defaultAlertName, firstAlertSchema } from "./schemas";
import { stepFromProgress, visibleStep } from "./steps";

describe("onboarding schemas", () => {
  it("reads chip lists from the form's JSON inputs and from real arrays alike", () => {
    const fromForm = businessProfileSchema.parse({
      companyName: "  Acme Cyber LLC ",
      naicsCodes: '["541512","5415","541512"]',
      keywords: '["cybersecurity","  zero   trust ","Cybersecurity"]',
      setAsides: '["sba"]',
      states: '["va","MD"]',
    });
    expect(fromForm).toEqual({
      companyName: "Acme Cyber LLC",
      naicsCodes: ["541512", "5415"],
      keywords: ["cybersecurity", "zero trust"],
      setAsides: ["SBA"],
      states: ["VA", "MD"],
    });
    expect(businessProfileSchema.parse({ companyName: "Acme", naicsCodes: ["54"] })).toEqual({
      companyName: "Acme",
      naicsCodes: ["54"],
      keywords: [],
      setAsides: [],
      states: [],
    });
  });

  it("explains what is wrong, field by field", () => {
    const result = businessProfileSchema.safeParse({
      companyName: "",
      naicsCodes: "[]",
      keywords: '["x"]',
      setAsides: '["NOPE"]',
      states: '["ZZ"]',
    });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(
      expect.arrayContaining(["companyName", "naicsCodes", "keywords.0", "setAsides.0", "states.0"]),
    );
    expect(businessProfileSchema.safeParse({ companyName: "A", naicsCodes: "not json" }).success).toBe(false);
    const tooMany = Array.from({ length: 21 }, (_, i) => `kw${i}`);
    expect(businessProfileSchema.safeParse({ companyName: "A", naicsCodes: ["54"], keywords: tooMany }).success).toBe(
      false,
    );
    expect(
      businessProfileSchema.safeParse({ companyName: "A", naicsCodes: ["54"], keywords: ["a".repeat(41)] }).success,
    ).toBe(false);
  });

  it("first alert: alert rules for name, frequency and e-mail; a default name that fits", () => {
    expect(
      firstAlertSchema.parse({ name: " Acme opportunities ", frequency: "daily", deliveryEmail: "Dana@Example.com" }),
    ).toEqual({
      name: "Acme opportunities",
      frequency: "daily",
      deliveryEmail: "dana@example.com",
    });
    expect(firstAlertSchema.safeParse({ name: "x", frequency: "hourly", deliveryEmail: "nope" }).success).toBe(false);
    expect(defaultAlertName("Acme")).toBe("Acme opportunities");
    expect(firstAlertSchema.shape.name.safeParse(defaultAlertName("A".repeat(120))).success).toBe(true);
  });

  it("keywords become one any-of query without search syntax", () => {
    expect(keywordsToQuery([])).toBeUndefined();
    expect(keywordsToQuery(["cybersecurity", "zero trust", '"quoted"', "-negated"])).toBe(
      "cybersecurity or zero trust or quoted or negated",
    );
    // NAICS codes and openness decide a match; keywords, places and set-asides only rank it.
    expect(profileMatchCriteria({ naicsCodes: ["5415"], keywords: ["cyber"], setAsides: [], states: ["VA"] })).toEqual({
      filters: { naics: ["5415"], status: ["open"] },
      prefer: { q: "cyber", states: ["VA"], setAsides: undefined },
    });
  });
});

describe("onboarding steps", () => {
  const at = new Date("2026-04-24T07:00:00Z");
  const none = {
    profileCompletedAt: null,
    alertCompletedAt: null,
    firstAlertId: null,
    matchesViewedAt: null,
    onboardingCompletedAt: null,
  };

  it("the current step is the first one not done", () => {
    expect(stepFromProgress(null)).toBe("profile");
    expect(stepFromProgress({ ...none, profileCompletedAt: at })).toBe("alert");
    expect(stepFromProgress({ ...none, profileCompletedAt: at, alertCompletedAt: at, firstAlertId: "a" })).toBe(
      "matches",
    );
    expect(
      stepFromProgress({
        ...none,
        profileCompletedAt: at,
        alertCompletedAt: at,
        firstAlertId: "a",
        matchesViewedAt: at,
      }),
    ).toBe("plan");
    expect(
      stepFromProgress({
        ...none,
        profileCompletedAt: at,
        alertCompletedAt: at,
        firstAlertId: "a",
        onboardingCompletedAt: at,
      }),
    ).toBe("done");
  });

  it("?step= goes back to a reached step, never ahead", () => {
    expect(visibleStep("matches", "profile")).toBe("profile");
    expect(visibleStep("matches", "matches")).toBe("matches");
    expect(visibleStep("alert", "plan")).toBe("alert");
    expect(visibleStep("profile", "alert")).toBe("profile");
    expect(visibleStep("done", "plan")).toBe("plan");
    expect(visibleStep("alert", "nonsense")).toBe("alert");
    expect(visibleStep("alert", undefined)).toBe("alert");
  });
});
