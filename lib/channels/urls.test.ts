import type { LookupAddress } from "node:dns";
import { describe, expect, it } from "vitest";
import { PermanentDeliveryError } from "@/lib/outbox";
import { perTestEnv } from "@/tests/env";
import { publicOnlyLookup } from "./urls";

/** publicOnlyLookup's answer, as a promise: an error, or what the socket would connect to. */
function lookUp(hostname: string, all: boolean) {
  return new Promise<{ error: Error | null; address: string | LookupAddress[] }>((resolve) =>
    publicOnlyLookup(hostname, { all }, (error, address) => resolve({ error, address })),
  );
}

describe("publicOnlyLookup (the resolution a channel post connects through)", () => {
  const useEnv = perTestEnv();

  it("refuses a name that resolves to this machine, for single and all-address lookups, as a permanent failure", async () => {
    for (const all of [false, true]) {
      const { error } = await lookUp("localhost", all);
      expect(error, `all: ${all}`).not.toBeNull();
      expect(error instanceof PermanentDeliveryError).toBe(true);
      expect(error!.message).toMatch(/private or loopback/);
    }
  });

  it("lets the journeys' loopback receiver through only when CHANNEL_LOOPBACK_URLS is on", async () => {
    useEnv({ CHANNEL_LOOPBACK_URLS: "true" });
    const single = await lookUp("localhost", false);
    expect(single.error).toBeNull();
    expect(["127.0.0.1", "::1"]).toContain(single.address);
    const every = await lookUp("localhost", true);
    expect(every.error).toBeNull();
    expect((every.address as LookupAddress[]).length).toBeGreaterThan(0);
  });

  it("passes the resolver's own failure on unchanged (a retry may succeed)", async () => {
    const { error } = await lookUp("no-such-host.invalid", false);
    expect(error).not.toBeNull();
    expect(error instanceof PermanentDeliveryError).toBe(false);
  });
});
