import { describe, expect, it } from "vitest";
import { routePattern } from "./metrics";

describe("routePattern (the latency label)", () => {
  it("puts each route parameter back as its name, so ids never become label values", () => {
    expect(routePattern("/api/healthz", {})).toBe("/api/healthz");
    expect(
      routePattern("/api/admin/job-runs/3f1c0b7e-1d2a-4c1e-9a57-3b0b7a3d2e10/rerun", {
        id: "3f1c0b7e-1d2a-4c1e-9a57-3b0b7a3d2e10",
      }),
    ).toBe("/api/admin/job-runs/[id]/rerun");
    expect(routePattern("/api/admin/customers/o-1/actions/grant-credits", { id: "o-1", action: "grant-credits" })).toBe(
      "/api/admin/customers/[id]/actions/[action]",
    );
    expect(routePattern("/api/v1/opportunities/W912%20QR-26", { notice_id: "W912 QR-26" })).toBe(
      "/api/v1/opportunities/[notice_id]",
    );
  });

  it("folds a catch-all's segments into one label", () => {
    expect(routePattern("/api/no/such/thing", { path: ["no", "such", "thing"] })).toBe("/api/[...path]");
  });

  it("answers 'unmatched' rather than leaking a value it cannot place", () => {
    expect(routePattern("/api/admin/job-runs/abc", { id: "xyz" })).toBe("unmatched");
    expect(routePattern("/api/a/b", { path: ["c"] })).toBe("unmatched");
  });
});
