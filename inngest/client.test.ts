import { afterEach, expect, it } from "vitest";
import { fakeInngestForFile } from "@/tests/support/inngest";
import { inngest } from "./client";

const inngestApi = fakeInngestForFile();
const platformFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = platformFetch;
});

it("sends events with the platform's fetch when Next.js has wrapped the global one", async () => {
  // What Next.js's server does to the global fetch: a wrapper that keeps the original beside it.
  let wrapperCalls = 0;
  globalThis.fetch = Object.assign(
    (input: RequestInfo | URL, init?: RequestInit) => {
      wrapperCalls++;
      return platformFetch(input, init);
    },
    { _nextOriginalFetch: platformFetch },
  ) as typeof fetch;
  await inngest.send({ name: "test/unwrapped", data: { n: 1 } });
  expect(inngestApi.events.filter((event) => event.name === "test/unwrapped")).toHaveLength(1);
  expect(wrapperCalls).toBe(0);
});

it("uses the global fetch of the moment when nothing wrapped it (a test's stand-in, say)", async () => {
  let standInCalls = 0;
  globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    standInCalls++;
    return platformFetch(input, init);
  }) as typeof fetch;
  await inngest.send({ name: "test/plain", data: { n: 2 } });
  expect(inngestApi.events.filter((event) => event.name === "test/plain")).toHaveLength(1);
  expect(standInCalls).toBe(1);
});
