import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, setDatabase, type DatabaseHandle } from "@/db/client";
import { availableDrivers } from "@/tests/db";
import { route } from "@/lib/http";
import { captureLogs } from "./capture-logs";
import { logger } from "./logger";

let capture: ReturnType<typeof captureLogs>;
afterEach(() => capture?.restore());

describe("request id on every log line", () => {
  it("stamps lines logged anywhere inside a request, including the unexpected-error line, with the request id it answers with", async () => {
    const handler = route(async () => {
      logger.info({ step: "inside" }, "doing work");
      await new Promise((resolve) => setTimeout(resolve, 1));
      logger.warn("after an await");
      throw new Error("boom");
    });
    capture = captureLogs();
    const response = await handler(
      new Request("http://beacon.test/api/x", { headers: { "x-request-id": "req_logged_12345" } }),
    );
    expect(response.status).toBe(500);
    expect(response.headers.get("x-request-id")).toBe("req_logged_12345");
    const messages = capture.lines.map((l) => l.msg);
    expect(messages).toEqual(
      expect.arrayContaining(["doing work", "after an await", "unhandled error in route", "request"]),
    );
    for (const line of capture.lines) expect(line.requestId).toBe("req_logged_12345");
  });

  it("keeps concurrent requests apart and leaves lines outside a request without one", async () => {
    const handler = route(async ({ url }) => {
      await new Promise((resolve) => setTimeout(resolve, Number(url.searchParams.get("wait"))));
      logger.info({ who: url.searchParams.get("who") }, "answered");
      return { body: {} };
    });
    capture = captureLogs("info");
    await Promise.all([
      handler(new Request("http://beacon.test/api/x?who=a&wait=20", { headers: { "x-request-id": "req_aaaaaaaaaa" } })),
      handler(new Request("http://beacon.test/api/x?who=b&wait=1", { headers: { "x-request-id": "req_bbbbbbbbbb" } })),
    ]);
    logger.info("outside");
    const byWho = Object.fromEntries(
      capture.lines.filter((l) => l.msg === "answered").map((l) => [l.who, l.requestId]),
    );
    expect(byWho).toEqual({ a: "req_aaaaaaaaaa", b: "req_bbbbbbbbbb" });
    expect(capture.lines.find((l) => l.msg === "outside")).not.toHaveProperty("requestId");
  });
});

for (const driver of availableDrivers()) {
  describe(`slow queries are logged with the request id [${driver}]`, () => {
    let handle: DatabaseHandle;
    let previous: DatabaseHandle | undefined;
    beforeAll(async () => {
      // A threshold the sleeps below always exceed and a warm `select 1` never reaches.
      handle = openDatabase({
        ...(driver === "postgres" ? { url: process.env.DATABASE_URL } : {}),
        slowQueryMs: 250,
        poolMax: 1,
      });
      previous = setDatabase(handle);
      // Opening the connection (or PGlite's first type lookup) is not what this test is about.
      await handle.db.execute(sql`select 1 as warm_up`);
    });
    afterAll(async () => {
      setDatabase(previous);
      await handle.close();
    });

    it("logs a query at or over SLOW_QUERY_MS with its SQL and the request id, and not a fast one", async () => {
      const handler = route(async () => {
        await handle.db.execute(sql`select 1 as fast`);
        await handle.db.execute(sql`select pg_sleep(0.3) as slow`);
        // Inside a transaction too (another client path on both drivers).
        await handle.db.transaction(async (tx) => {
          await tx.execute(sql`select pg_sleep(0.3) as slow_in_tx`);
        });
        return { body: {} };
      });
      capture = captureLogs("info");
      const response = await handler(
        new Request("http://beacon.test/api/x", { headers: { "x-request-id": "req_slowquery_1" } }),
      );
      expect(response.status).toBe(200);
      const slow = capture.lines.filter((l) => l.msg === "slow query");
      expect(slow.map((l) => l.sql)).toEqual(["select pg_sleep(0.3) as slow", "select pg_sleep(0.3) as slow_in_tx"]);
      for (const line of slow) {
        expect(line).toMatchObject({ requestId: "req_slowquery_1", thresholdMs: 250, level: 40 });
        expect(line.ms).toBeGreaterThanOrEqual(250);
      }
    });
  });
}
