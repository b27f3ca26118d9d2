// The API benchmark compares Beacon with two baselines; a ratio means something only while they
// do Beacon's work. Each baseline answers here next to Beacon's real route, on the bundled data.
import type { AddressInfo } from "node:net";
import type http from "node:http";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as searchRoute from "@/app/api/v1/opportunities/route";
import { setDatabase, type DatabaseHandle } from "@/db/client";
import { organizations } from "@/db/schema";
import { db } from "@/db/client";
import { createApiKey } from "@/lib/auth";
import { setQuotaRemaining } from "@/lib/metering";
import { opportunityFeed } from "@/lib/opportunities";
import { importBundledOpportunities } from "@/lib/opportunities/ingest";
import { MemoryRateLimiter, setRateLimiter } from "@/lib/ratelimit";
import { createTestDatabase } from "@/tests/db";
import { BASELINES, baselineServer } from "./baseline-server";
import { contextOf } from "@/tests/support/factories";
import { systemActor } from "@/lib/context";

// The baselines speak to PostgreSQL through `pg`, as they do in the benchmark.
describe.runIf(process.env.DATABASE_URL)("API benchmark baselines [postgres]", () => {
  let handle: (DatabaseHandle & { url?: string }) | undefined;
  let pool: pg.Pool;
  const servers: http.Server[] = [];
  const origins: Record<keyof typeof BASELINES, string> = { raw: "", bare: "" };
  let key = "";

  beforeAll(async () => {
    handle = await createTestDatabase("postgres");
    setDatabase(handle);
    setRateLimiter(new MemoryRateLimiter());
    await importBundledOpportunities();
    const [org] = await db().insert(organizations).values({ name: "Bench", plan: "enterprise" }).returning();
    key = (await createApiKey(contextOf(org!.id, systemActor("seed")), { name: "bench" })).key;
    await setQuotaRemaining(contextOf(org!.id, systemActor("seed")), 1_000);
    pool = new pg.Pool({ connectionString: handle.url, max: 2 });
    const feed = opportunityFeed();
    for (const name of ["raw", "bare"] as const) {
      const server = baselineServer(BASELINES[name]({ pool, referenceDate: feed.referenceDate, live: feed.live }));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      servers.push(server);
      origins[name] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }
  });
  afterAll(async () => {
    for (const server of servers) await new Promise<void>((resolve) => server.close(() => resolve()));
    await pool?.end();
    setRateLimiter(undefined);
    setDatabase(undefined);
    await handle?.close();
  });

  const get = async (origin: string | null, query: string) => {
    const path = `/api/v1/opportunities?${query}`;
    const headers = { authorization: `Bearer ${key}` };
    const response = origin
      ? await fetch(`${origin}${path}`, { headers })
      : await searchRoute.GET(new Request(`http://localhost:3000${path}`, { headers }));
    expect(response.status, `${origin ?? "beacon"} ${query}`).toBe(200);
    return (await response.json()) as { data: { notice_id: string }[] };
  };

  it.each(["q=maintenance&limit=20", "q=construction&limit=5", "q=cyber security&limit=50"])(
    "raw answers %s byte for byte as Beacon does",
    async (query) => {
      const beacon = await get(null, query);
      expect(beacon.data.length).toBeGreaterThan(0);
      expect(await get(origins.raw, query)).toEqual(beacon);
    },
  );

  it.each(["q=maintenance&limit=20", "limit=20", "q=construction&limit=5", "limit=100"])(
    "bare answers %s with Beacon's notices, in Beacon's order",
    async (query) => {
      const ids = (body: { data: { notice_id: string }[] }) => body.data.map((row) => row.notice_id);
      const beacon = ids(await get(null, query));
      expect(beacon.length).toBeGreaterThan(0);
      expect(ids(await get(origins.bare, query))).toEqual(beacon);
    },
  );
});
