import { describe, expect, it } from "vitest";
import { appErrorOf } from "@/tests/app-error";
import { assertMetricsToken } from "./metrics-endpoint";
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

describe("assertMetricsToken", () => {
  const token = "m-3b9c1f0e2d4a5b6c";

  it("accepts exactly `Bearer <METRICS_TOKEN>`", () => {
    expect(() => assertMetricsToken(`Bearer ${token}`, token)).not.toThrow();
    expect(() => assertMetricsToken(`bearer ${token}`, token)).not.toThrow();
  });

  it("refuses a missing, wrong, truncated or differently-schemed token with 401", async () => {
    for (const header of [
      null,
      "",
      "Bearer",
      `Bearer ${token}x`,
      `Bearer ${token.slice(0, -1)}`,
      `Basic ${token}`,
      token,
    ]) {
      const error = await appErrorOf(Promise.resolve().then(() => assertMetricsToken(header, token)));
      expect(error.code).toBe("unauthorized");
      expect(error.extra.headers).toEqual({ "www-authenticate": 'Bearer realm="metrics"' });
    }
  });

  it("exposes nothing while no token is configured, whatever is presented", async () => {
    for (const configured of [undefined, "", "  "]) {
      const error = await appErrorOf(Promise.resolve().then(() => assertMetricsToken("Bearer ", configured)));
      expect(error.message).toMatch(/METRICS_TOKEN/);
      expect(
        (await appErrorOf(Promise.resolve().then(() => assertMetricsToken("Bearer anything", configured)))).code,
      ).toBe("unauthorized");
    }
  });
});
