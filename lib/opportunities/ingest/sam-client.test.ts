import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { db } from "@/db/client";
import { ingestionCursors, opportunities } from "@/db/schema";
import { AppError } from "@/lib/http";
import { appErrorOf } from "@/tests/app-error";
import { describeEachDatabase } from "@/tests/db";
import { recordedApiRecords, startFakeSamServer, type FakeSamServer } from "@/tests/fakes/sam-server";
import {
  backoffDelay,
  ingestFromSam,
  parseRetryAfter,
  SAM_API_SOURCE,
  SamApiError,
  type IngestFromSamOptions,
} from "./sam-client";

const API_KEY = "sam-test-key-5f3c9a";
// Noon in Washington on 24 April 2026.
const NOW = new Date("2026-04-24T16:00:00.000Z");
const ALL = recordedApiRecords();
const SMALL = ALL.slice(0, 50);
const half = () => 0.5;

let server: FakeSamServer;
beforeAll(async () => {
  server = await startFakeSamServer({ apiKey: API_KEY, records: ALL });
});
afterAll(async () => {
  await server.close();
});

async function rejectionOf(promise: Promise<unknown>): Promise<SamApiError> {
  const error = await promise.then(
    () => {
      throw new Error("expected the ingestion to fail");
    },
    (e: unknown) => e,
  );
  if (!(error instanceof SamApiError)) throw error;
  return error;
}

async function storedCount() {
  const [row] = await db()
    .select({ n: sql<number>`count(*)::int`, notices: sql<number>`count(distinct notice_id)::int` })
    .from(opportunities);
  return row!;
}

async function cursor() {
  const [row] = await db().select().from(ingestionCursors).where(eq(ingestionCursors.source, SAM_API_SOURCE));
  return row;
}

const offsets = () => server.requests.map((r) => r.offset);

describeEachDatabase("ingestFromSam", () => {
  let sleeps: number[];
  const run = (options: Partial<IngestFromSamOptions> = {}) =>
    ingestFromSam({
      baseUrl: server.url,
      apiKey: API_KEY,
      postedFrom: "2025-01-01",
      postedTo: "2025-01-31",
      pageSize: 20,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: half,
      now: NOW,
      ...options,
    });

  beforeEach(async () => {
    server.reset(SMALL);
    sleeps = [];
    await db().delete(opportunities);
    await db().delete(ingestionCursors);
  });

  it("pages through the window by offset, upserting every page, and stores a finished cursor", async () => {
    server.reset(ALL);
    const result = await run({ pageSize: 200 });
    expect(result).toEqual({
      inserted: 901,
      updated: 0,
      skipped: 0,
      pages: 5,
      totalRecords: 901,
      postedFrom: "2025-01-01",
      postedTo: "2025-01-31",
      startOffset: 0,
    });
    expect(offsets()).toEqual([0, 200, 400, 600, 800]);
    const params = server.requests[0]!.params;
    expect(Object.fromEntries(params)).toEqual({
      api_key: API_KEY,
      postedFrom: "01/01/2025",
      postedTo: "01/31/2025",
      limit: "200",
      offset: "0",
    });
    expect(await storedCount()).toEqual({ n: 901, notices: 901 });
    expect(await cursor()).toMatchObject({
      postedFrom: "2025-01-01",
      postedTo: "2025-01-31",
      nextOffset: 0,
      lastError: null,
      lastSuccessAt: NOW,
    });
    expect(sleeps).toEqual([]);
  });

  it("waits out a 429's Retry-After (seconds), then fetches the same page again", async () => {
    let limited = false;
    server.failWhen = (request) => {
      if (request.offset !== 20 || limited) return undefined;
      limited = true;
      return { status: 429, headers: { "retry-after": "1" }, body: '{"message":"Too many requests"}' };
    };
    expect(await run()).toMatchObject({ inserted: 50, pages: 3 });
    expect(sleeps).toEqual([1000]);
    expect(offsets()).toEqual([0, 20, 20, 40]);
  });

  it("honours a Retry-After given as an HTTP date", async () => {
    server.script = [{ status: 503, headers: { "retry-after": new Date(NOW.getTime() + 3000).toUTCString() } }];
    expect(await run()).toMatchObject({ inserted: 50 });
    expect(sleeps).toEqual([3000]);
  });

  it("backs off exponentially with jitter on 503s, then succeeds", async () => {
    server.script = [{ status: 503 }, { status: 503 }];
    expect(await run()).toMatchObject({ inserted: 50, updated: 0 });
    expect(offsets()).toEqual([0, 0, 0, 20, 40]);
    expect(sleeps).toEqual([backoffDelay(1, half), backoffDelay(2, half)]);
    expect(sleeps[1]).toBeGreaterThan(sleeps[0]!);
  });

  it("retries a connection reset and an unreadable body", async () => {
    server.script = ["reset", { status: 200, body: "<html>Gateway hiccup</html>" }];
    expect(await run()).toMatchObject({ inserted: 50 });
    expect(offsets()).toEqual([0, 0, 0, 20, 40]);
    expect(sleeps).toHaveLength(2);
    expect(await storedCount()).toEqual({ n: 50, notices: 50 });
  });

  it("fails fast on 401 (bad key): no retry, the error stored on the cursor, not an AppError", async () => {
    const error = await rejectionOf(run({ apiKey: "not-a-valid-key" }));
    expect(error).not.toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 401, attempts: 1 });
    expect(error.message).toMatch(/401.*API_KEY_INVALID/);
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
    expect(await cursor()).toMatchObject({
      postedFrom: "2025-01-01",
      postedTo: "2025-01-31",
      nextOffset: 0,
      lastError: expect.stringMatching(/401/),
      lastSuccessAt: null,
    });
    expect(await storedCount()).toEqual({ n: 0, notices: 0 });
  });

  it("never repeats the API key in an error, even when SAM.gov echoes it", async () => {
    server.script = [
      { status: 400, body: `{"error":"bad request /opportunities/v2/search?api_key=${API_KEY}&limit=20"}` },
    ];
    const error = await rejectionOf(run());
    expect(error.message).toContain("[redacted]");
    expect(error.message).not.toContain(API_KEY);
    expect((await cursor())!.lastError).not.toContain(API_KEY);
  });

  it("stops without waiting when Retry-After is longer than it is willing to wait", async () => {
    server.script = [{ status: 429, headers: { "retry-after": "3600" } }];
    const error = await rejectionOf(run());
    expect(error.message).toMatch(/Retry-After 3600 s/);
    expect(sleeps).toEqual([]);
    expect((await cursor())!.lastError).toMatch(/429/);
  });

  it("after failing mid-run, resumes at the page it stopped at and ends with every record once", async () => {
    server.reset(ALL);
    server.failWhen = (request) => (request.offset >= 400 ? { status: 500 } : undefined);
    const error = await rejectionOf(run({ postedFrom: undefined, postedTo: undefined, pageSize: 200 }));
    expect(error).toMatchObject({ status: 500, attempts: 5 });
    expect(offsets()).toEqual([0, 200, 400, 400, 400, 400, 400]);
    expect(sleeps).toEqual([1, 2, 3, 4].map((attempt) => backoffDelay(attempt, half)));
    // The default window: yesterday to today in Washington.
    expect(await cursor()).toMatchObject({
      postedFrom: "2026-04-23",
      postedTo: "2026-04-24",
      nextOffset: 400,
      lastError: expect.stringMatching(/500.*gave up after 5 attempts/),
      lastSuccessAt: NOW,
    });
    expect(await storedCount()).toEqual({ n: 400, notices: 400 });

    server.reset(ALL);
    const later = new Date(NOW.getTime() + 3_600_000);
    const resumed = await run({ postedFrom: undefined, postedTo: undefined, pageSize: 200, now: later });
    expect(resumed).toMatchObject({
      inserted: 501,
      updated: 0,
      startOffset: 400,
      pages: 3,
      totalRecords: 901,
      postedFrom: "2026-04-23",
      postedTo: "2026-04-24",
    });
    expect(offsets()).toEqual([400, 600, 800]);
    expect(await storedCount()).toEqual({ n: 901, notices: 901 });
    expect(await cursor()).toMatchObject({ nextOffset: 0, lastError: null, lastSuccessAt: later });
  });

  it("by default fetches yesterday to today, then continues from the end of the last finished window", async () => {
    const defaults = { postedFrom: undefined, postedTo: undefined };
    expect(await run(defaults)).toMatchObject({ postedFrom: "2026-04-23", postedTo: "2026-04-24", inserted: 50 });
    expect(server.requests[0]!.params.get("postedFrom")).toBe("04/23/2026");
    server.reset(SMALL);
    const twoDaysLater = new Date("2026-04-26T15:00:00.000Z");
    expect(await run({ ...defaults, now: twoDaysLater })).toMatchObject({
      postedFrom: "2026-04-24",
      postedTo: "2026-04-26",
      inserted: 0,
      updated: 50,
      startOffset: 0,
    });
    expect(Object.fromEntries(server.requests[0]!.params)).toMatchObject({
      postedFrom: "04/24/2026",
      postedTo: "04/26/2026",
      offset: "0",
    });
  });

  it("refuses an impossible window as an expected failure", async () => {
    expect((await appErrorOf(run({ postedFrom: "2025-02-01", postedTo: "2025-01-01" }))).code).toBe(
      "validation_failed",
    );
    expect((await appErrorOf(run({ postedFrom: "2023-01-01", postedTo: "2025-01-01" }))).code).toBe(
      "validation_failed",
    );
    expect((await appErrorOf(run({ postedFrom: "01/01/2025" }))).code).toBe("validation_failed");
    expect(server.requests).toHaveLength(0);
  });
});

it("reads Retry-After as seconds or an HTTP date", () => {
  expect(parseRetryAfter("1", NOW)).toBe(1000);
  expect(parseRetryAfter(" 0 ", NOW)).toBe(0);
  expect(parseRetryAfter(new Date(NOW.getTime() + 90_000).toUTCString(), NOW)).toBe(90_000);
  expect(parseRetryAfter(new Date(NOW.getTime() - 90_000).toUTCString(), NOW)).toBe(0);
  expect(parseRetryAfter("soon", NOW)).toBeUndefined();
  expect(parseRetryAfter(null, NOW)).toBeUndefined();
});

it("grows the backoff exponentially, with jitter, up to a cap", () => {
  expect([1, 2, 3].map((a) => backoffDelay(a, () => 0))).toEqual([500, 1000, 2000]);
  expect([1, 2, 3].map((a) => backoffDelay(a, () => 0.999999))).toEqual([1000, 2000, 4000]);
  expect(backoffDelay(20, () => 0.999999)).toBe(60_000);
});
