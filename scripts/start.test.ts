import { describe, expect, it } from "vitest";
import { clusterRefusal, workerCount } from "./start.mjs";

describe("npm start workers", () => {
  it("reads WEB_CONCURRENCY: unset is one, auto is one per core, anything else must be a whole number", () => {
    expect(workerCount(undefined, 8)).toBe(1);
    expect(workerCount("", 8)).toBe(1);
    expect(workerCount("auto", 8)).toBe(8);
    expect(workerCount("3", 8)).toBe(3);
    for (const bad of ["0", "-1", "1.5", "two", "65"]) expect(() => workerCount(bad, 8)).toThrow(/WEB_CONCURRENCY/);
  });

  it("refuses more than one worker without shared state: PostgreSQL for quotas and leases, Redis for limits", () => {
    expect(clusterRefusal({})).toMatch(/embedded database/);
    expect(clusterRefusal({ DATABASE_URL: "postgres://db/beacon" })).toMatch(/REDIS_URL/);
    expect(clusterRefusal({ DATABASE_URL: "postgres://db/beacon", REDIS_URL: "redis://cache" })).toBeNull();
  });
});
