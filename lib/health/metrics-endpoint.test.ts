import { describe, expect, it } from "vitest";
import { appErrorOf } from "@/tests/app-error";
import { assertMetricsToken } from "./metrics-endpoint";

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
