import { expect, it } from "vitest";
import { db } from "@/db/client";
import { jobRuns } from "@/db/schema";
import { describeEachDatabase } from "@/tests/db";
import { hourlyJobOutcomes } from "./hourly";
import { operatorContextOf } from "@/tests/support/factories";

describeEachDatabase("job outcomes per hour", () => {
  it("24 UTC-hour buckets ending with the current one: succeeded/failed counts and p50/p95 of the runs finished in each", async () => {
    const now = new Date("2026-05-01T12:30:00Z");
    const run = (id: string, status: string, finished: string | null, durationMs: number | null) =>
      db()
        .insert(jobRuns)
        .values({
          functionId: "chart",
          runId: `chart-${id}`,
          status,
          finishedAt: finished ? new Date(finished) : null,
          durationMs,
          createdAt: new Date("2026-04-30T00:00:00Z"),
        });
    await run("a", "succeeded", "2026-05-01T12:10:00Z", 100);
    await run("b", "failed", "2026-05-01T12:20:00Z", 300);
    await run("c", "succeeded", "2026-05-01T11:59:59Z", 200);
    await run("d", "succeeded", "2026-05-01T11:00:00Z", 400);
    await run("e", "succeeded", "2026-04-30T13:00:00Z", 50); // first bucket
    await run("f", "succeeded", "2026-04-30T12:59:59Z", 50); // before the window
    await run("g", "cancelled", "2026-05-01T12:05:00Z", 10); // not an outcome
    await run("h", "succeeded", "2026-05-01T12:40:00Z", 10); // after "now"
    await run("i", "running", null, null);

    const buckets = await hourlyJobOutcomes(operatorContextOf({}, { now }));
    expect(buckets).toHaveLength(24);
    expect(buckets[0]!.hour.toISOString()).toBe("2026-04-30T13:00:00.000Z");
    expect(buckets[23]!.hour.toISOString()).toBe("2026-05-01T12:00:00.000Z");
    expect(buckets[0]).toMatchObject({ succeeded: 1, failed: 0, p50Ms: 50, p95Ms: 50 });
    expect(buckets[22]).toMatchObject({ succeeded: 2, failed: 0, p50Ms: 300, p95Ms: 390 });
    expect(buckets[23]).toMatchObject({ succeeded: 1, failed: 1, p50Ms: 200, p95Ms: 290 });
    expect(buckets.slice(1, 22).every((b) => b.succeeded === 0 && b.failed === 0 && b.p50Ms === null)).toBe(true);
  });
});
