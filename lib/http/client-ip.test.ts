import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientIpFrom, normalizeAddress } from "./client-ip";
import { recordSocketPeers } from "./socket-peer";

const xff = (value?: string) => new Headers(value === undefined ? {} : { "x-forwarded-for": value });

describe("clientIpFrom", () => {
  it("exposed directly (0 hops): the last entry, the TCP peer; anything the client wrote is ignored", () => {
    expect(clientIpFrom(xff("203.0.113.9"), 0)).toBe("203.0.113.9");
    expect(clientIpFrom(xff("1.1.1.1, 2.2.2.2, 203.0.113.9"), 0)).toBe("203.0.113.9");
  });

  it("behind N proxies: the entry N places before the last", () => {
    // client → proxy (appends client) → Beacon (appends proxy)
    expect(clientIpFrom(xff("198.51.100.7, 10.0.0.2"), 1)).toBe("198.51.100.7");
    // a spoofed entry sits to the left of what the proxy appended and is skipped
    expect(clientIpFrom(xff("6.6.6.6, 198.51.100.7, 10.0.0.2"), 1)).toBe("198.51.100.7");
    expect(clientIpFrom(xff("6.6.6.6, 198.51.100.7, 10.0.0.3, 10.0.0.2"), 2)).toBe("198.51.100.7");
  });

  it("fewer entries than trusted hops: the leftmost (a platform that sets only the client address)", () => {
    expect(clientIpFrom(xff("198.51.100.7"), 1)).toBe("198.51.100.7");
    expect(clientIpFrom(xff("198.51.100.7, 10.0.0.2"), 5)).toBe("198.51.100.7");
  });

  it("no header: one shared 'unknown' bucket, never a free pass", () => {
    expect(clientIpFrom(xff(), 0)).toBe("unknown");
    expect(clientIpFrom(xff(" , "), 1)).toBe("unknown");
  });

  it("tolerates spacing and repeated commas", () => {
    expect(clientIpFrom(xff(" 6.6.6.6 ,,198.51.100.7 ,  10.0.0.2 "), 1)).toBe("198.51.100.7");
  });
});

describe("normalizeAddress", () => {
  it("unwraps IPv4-mapped IPv6 and drops ports", () => {
    expect(normalizeAddress("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(normalizeAddress("203.0.113.9:51234")).toBe("203.0.113.9");
    expect(normalizeAddress("[2001:db8::1]:443")).toBe("2001:db8:0:0::/64");
  });

  it("counts a whole IPv6 /64 as one client", () => {
    expect(normalizeAddress("2001:DB8:abcd:12:1::9")).toBe("2001:db8:abcd:12::/64");
    expect(normalizeAddress("2001:db8:abcd:0012:ffff:1:2:3")).toBe("2001:db8:abcd:12::/64");
    expect(normalizeAddress("::1")).toBe("0:0:0:0::/64");
    expect(normalizeAddress("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
  });

  it("keeps other text bounded", () => {
    expect(normalizeAddress("unknown")).toBe("unknown");
    expect(normalizeAddress("x".repeat(500))).toHaveLength(64);
  });
});

describe("recordSocketPeers on a real HTTP server", () => {
  let server: http.Server;
  let base = "";
  beforeAll(async () => {
    recordSocketPeers();
    recordSocketPeers(); // installing twice must not append twice
    server = http.createServer((req, res) => res.end(String(req.headers["x-forwarded-for"] ?? "")));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const seenHeader = async (headers: Record<string, string> = {}) => (await fetch(base, { headers })).text();

  it("appends the TCP peer, so a spoofed X-Forwarded-For cannot choose the address", async () => {
    expect(await seenHeader()).toBe("127.0.0.1");
    const spoofed = await seenHeader({ "x-forwarded-for": "6.6.6.6" });
    expect(spoofed).toBe("6.6.6.6, 127.0.0.1");
    expect(clientIpFrom(xff(spoofed), 0)).toBe("127.0.0.1");
  });
});
