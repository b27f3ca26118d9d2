import { describe, expect, it } from "vitest";
import { relevanceReturnPath } from "./return-path";

describe("relevanceReturnPath", () => {
  it("keeps the list page and its query, and adds the notice to undo", () => {
    expect(relevanceReturnPath("/opportunities?naics=2382&sort=fit")).toBe("/opportunities?naics=2382&sort=fit");
    expect(relevanceReturnPath("/opportunities?sort=fit&undo=old", "abc123")).toBe(
      "/opportunities?sort=fit&undo=abc123",
    );
    expect(relevanceReturnPath("/onboarding/matches", "abc")).toBe("/onboarding/matches?undo=abc");
    expect(relevanceReturnPath("/onboarding?step=matches", "abc")).toBe("/onboarding?step=matches&undo=abc");
    expect(relevanceReturnPath("/settings/not-relevant")).toBe("/settings/not-relevant");
    expect(relevanceReturnPath("/opportunities/6c9ea4e600d24c14a70757fa7ed6811c")).toBe(
      "/opportunities/6c9ea4e600d24c14a70757fa7ed6811c",
    );
  });

  it("never leaves the site or the pages that list matches", () => {
    for (const hostile of [
      "https://evil.example/opportunities",
      "//evil.example/opportunities",
      "/\\evil.example/opportunities",
      "/\t/evil.example/opportunities",
      "javascript:alert(1)",
      "/admin/ops",
      "/opportunities/../admin/ops",
      "/opportunities/a/b",
      "",
      undefined,
      42,
      `/opportunities?${"x".repeat(3000)}`,
    ])
      expect(relevanceReturnPath(hostile), String(hostile)).toBe("/opportunities");
  });
});
