// Redis (the shared rate-limit store) going down and hanging under the metered API: the limiter
// fails open for the per-key limit as documented (lib/ratelimit/outage-policy.ts), the API keeps serving, and the quota,
// in PostgreSQL, still caps what a key can spend. When Redis is back, limits apply again.
import { expect, it } from "vitest";
import { db } from "@/db/client";
import { organizations } from "@/db/schema";
import { createApiKey } from "@/lib/auth";
import { monthlyUsageReport, setQuotaRemaining } from "@/lib/metering";
import { apiSearch } from "./api-client";
import { eventually, pool, survived, tally, withScratchDatabase } from "./harness";
import { withRedisBehindProxy } from "./redis-behind-proxy";
import { contextOf } from "@/tests/support/factories";
import { systemActor } from "@/lib/context";

withScratchDatabase();

const PER_MINUTE = 60; // the Starter plan's limit per key

const redis = withRedisBehindProxy(`resilience-redis-${Date.now()}`);

it("Redis refusing, then hanging: the API keeps serving, unlimited but capped by the quota; Redis back: limits again", async (context) => {
  const [org] = await db()
    .insert(organizations)
    .values({ name: "Starter Co", plan: "starter" })
    .returning({ id: organizations.id });
  const orgId = org!.id;
  const newKey = async () => (await createApiKey(contextOf(orgId, systemActor("seed")), { name: "k" })).key;
  const burst = async (key: string, calls: number, concurrency = 8) =>
    pool(calls, concurrency, () => apiSearch(redis.app.url, key));
  const statuses = (answers: { status: number }[]) => tally(answers.map((a) => a.status));
  let served = 0;

  // Redis up: the per-key limit holds.
  await setQuotaRemaining(contextOf(orgId, systemActor("seed")), 1_000);
  const up = await burst(await newKey(), PER_MINUTE + 15);
  expect(statuses(up)).toEqual({ 200: PER_MINUTE, 429: 15 });
  served += PER_MINUTE;

  // Redis down (connection refused): more calls than the limit all pass, until the quota is spent.
  await redis.proxy.set("refusing");
  await setQuotaRemaining(contextOf(orgId, systemActor("seed")), 40);
  const refusing = await burst(await newKey(), 100);
  expect(statuses(refusing)).toEqual({ 200: 40, 402: 60 });
  expect(refusing.every((a) => a.rateLimitRemaining === String(PER_MINUTE))).toBe(true);
  served += 40;

  // Redis accepting connections but never answering: each call waits out the limiter's timeout, then passes.
  await redis.proxy.set("hanging");
  await setQuotaRemaining(contextOf(orgId, systemActor("seed")), 10);
  const hanging = await burst(await newKey(), 30, 15);
  expect(statuses(hanging)).toEqual({ 200: 10, 402: 20 });
  served += 10;

  // Redis back: once the client has reconnected, the limit applies again.
  await redis.proxy.set("up");
  await setQuotaRemaining(contextOf(orgId, systemActor("seed")), 1_000);
  const key = await newKey();
  await eventually("the limiter counts in Redis again", async () => {
    const answer = await apiSearch(redis.app.url, key);
    if (answer.status === 200) served++;
    return answer.status === 200 && answer.rateLimitRemaining !== String(PER_MINUTE);
  });
  const back = await burst(key, PER_MINUTE + 15);
  const backStatuses = statuses(back);
  expect(backStatuses[429]).toBeGreaterThan(0);
  expect(backStatuses[200]).toBeLessThanOrEqual(PER_MINUTE);
  expect(Object.keys(backStatuses).sort()).toEqual(["200", "429"]);
  served += backStatuses[200]!;

  // Every served call was charged once, and the counter agrees with the ledger.
  const report = await monthlyUsageReport(contextOf(orgId, systemActor("seed")), new Date().toISOString().slice(0, 7));
  expect(report.used_recorded).toBe(served);
  expect(report.drift).toBe(0);

  survived(
    context,
    `Redis up ${JSON.stringify(statuses(up))}; refusing ${JSON.stringify(statuses(refusing))} (quota 40, no 429, no 5xx); hanging ${JSON.stringify(statuses(hanging))} ` +
      `(quota 10); back ${JSON.stringify(backStatuses)}; ${served} calls served = ${report.used_recorded} charged, drift 0`,
  );
});
