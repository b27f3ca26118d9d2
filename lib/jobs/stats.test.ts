import { expect, it } from "vitest";
import { db } from "@/db/client";
import { jobRuns } from "@/db/schema";
import { describeEachDatabase } from "@/tests/db";
import { jobRunStats, jobRunStatusCounts } from "./stats";
import { operatorContextOf } from "@/tests/support/factories";

describeEachDatabase("job run statistics", () => {
  it("counts runs per status and computes p50/p95/p99 per function", async () => {
    const now = new Date("2026-05-01T12:00:00Z");
    const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000);
    for (let i = 1; i <= 100; i++) {
      await db()
        .insert(jobRuns)
        .values({
          functionId: "digests",
          runId: `d${i}`,
          status: i <= 5 ? "failed" : "succeeded",
          durationMs: i * 10,
          createdAt: at(i),
          startedAt: at(i),
        });
    }
    await db()
      .insert(jobRuns)
      .values({ functionId: "old", runId: "old1", status: "succeeded", durationMs: 5, createdAt: at(60 * 48) });
    await db()
      .insert(jobRuns)
      .values({ functionId: "digests", runId: "live", status: "running", createdAt: at(0) });

    const counts = await jobRunStatusCounts(operatorContextOf());
    expect(counts).toMatchObject({ succeeded: 96, failed: 5, running: 1, queued: 0 });
    const stats = await jobRunStats(operatorContextOf(), at(60 * 24));
    expect(stats.map((s) => s.functionId)).toEqual(["digests"]);
    const digests = stats[0]!;
    expect(digests).toMatchObject({ runs: 101, failed: 5 });
    expect(digests.p50Ms).toBe(505);
    expect(digests.p95Ms).toBe(951);
    expect(digests.p99Ms).toBe(990);
    expect(digests.lastStartedAt?.getTime()).toBe(at(0).getTime());
  });
});
