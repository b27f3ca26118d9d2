import { describe, expect, it } from "vitest";
import { readEnv } from "@/lib/env";
import { adminNetworkAllowed, assertAdminNetwork } from "./admin-network";
import { parseCidr, parseCidrList } from "./cidr";
import { clientAddressFrom } from "./client-ip";

const config = (cidrs: string | undefined, hops = 0) =>
  readEnv({ ...(cidrs === undefined ? {} : { ADMIN_IP_ALLOWLIST_CIDRS: cidrs }), TRUSTED_PROXY_HOPS: String(hops) });
const from = (xff?: string) => new Headers(xff === undefined ? {} : { "x-forwarded-for": xff });

describe("CIDR parsing", () => {
  it("accepts IPv4 and IPv6 ranges and bare addresses", () => {
    expect(parseCidr("10.0.0.0/8")).toEqual({ address: "10.0.0.0", prefix: 8, family: "ipv4" });
    expect(parseCidr(" 2001:db8::/32 ")).toEqual({ address: "2001:db8::", prefix: 32, family: "ipv6" });
    expect(parseCidr("203.0.113.7")).toEqual({ address: "203.0.113.7", prefix: 32, family: "ipv4" });
    expect(parseCidrList("10.0.0.0/8, ,::1")).toHaveLength(2);
  });

  it("refuses anything else, and the configuration fails at boot with the bad entry named", () => {
    for (const bad of [
      "10.0.0.0/33",
      "2001:db8::/129",
      "10.0.0/8",
      "example.com/24",
      "10.0.0.0/8/1",
      "10.0.0.0/-1",
      "10.0.0.0/ 8",
    ])
      expect(() => parseCidr(bad)).toThrow();
    expect(() => readEnv({ ADMIN_IP_ALLOWLIST_CIDRS: "10.0.0.0/8, 300.1.1.1/32" })).toThrow(
      /ADMIN_IP_ALLOWLIST_CIDRS: "300\.1\.1\.1\/32" is not/,
    );
    expect(readEnv({ ADMIN_IP_ALLOWLIST_CIDRS: "10.0.0.0/8,2001:db8::/32" }).ADMIN_IP_ALLOWLIST_CIDRS).toBe(
      "10.0.0.0/8,2001:db8::/32",
    );
  });
});

describe("clientAddressFrom", () => {
  it("picks the entry clientIpFrom picks, whole (IPv6 not reduced), without port or IPv4 mapping", () => {
    expect(clientAddressFrom(from("6.6.6.6, 198.51.100.7:5123, 10.0.0.2"), 1)).toBe("198.51.100.7");
    expect(clientAddressFrom(from("[2001:db8:1:2:3:4:5:6]:443"), 0)).toBe("2001:db8:1:2:3:4:5:6");
    expect(clientAddressFrom(from("::ffff:192.0.2.1"), 0)).toBe("192.0.2.1");
    expect(clientAddressFrom(from("unknown"), 0)).toBeNull();
    expect(clientAddressFrom(from(), 0)).toBeNull();
  });
});

describe("admin network guard", () => {
  it("unset or blank: everyone is allowed", () => {
    expect(adminNetworkAllowed(from("203.0.113.9"), config(undefined))).toBe(true);
    expect(adminNetworkAllowed(from(), config(""))).toBe(true);
  });

  it("IPv4: the TCP peer must be inside a listed range", () => {
    const e = config("10.0.0.0/8, 192.0.2.10");
    expect(adminNetworkAllowed(from("10.20.30.40"), e)).toBe(true);
    expect(adminNetworkAllowed(from("192.0.2.10"), e)).toBe(true);
    expect(adminNetworkAllowed(from("192.0.2.11"), e)).toBe(false);
    expect(adminNetworkAllowed(from("::ffff:10.1.1.1"), e)).toBe(true);
    expect(adminNetworkAllowed(from(), e)).toBe(false);
  });

  it("IPv6 ranges match whole addresses", () => {
    const e = config("2001:db8:abcd::/48");
    expect(adminNetworkAllowed(from("2001:db8:abcd:12::1"), e)).toBe(true);
    expect(adminNetworkAllowed(from("2001:db8:abce::1"), e)).toBe(false);
    expect(adminNetworkAllowed(from("10.0.0.1"), e)).toBe(false);
  });

  it("a client-written X-Forwarded-For entry never gets in: only the configured hops are trusted", () => {
    // Exposed directly: the last entry is the socket peer; an allowed address written by the client is ignored.
    expect(adminNetworkAllowed(from("10.0.0.5, 203.0.113.9"), config("10.0.0.0/8", 0))).toBe(false);
    // Behind one proxy (10.0.0.2 appended by Beacon's server): the client is the entry before it.
    expect(adminNetworkAllowed(from("10.9.9.9, 203.0.113.9, 10.0.0.2"), config("10.0.0.0/8", 1))).toBe(false);
    expect(adminNetworkAllowed(from("203.0.113.9, 10.9.9.9, 10.0.0.2"), config("10.0.0.0/8", 1))).toBe(true);
    // The proxy itself is inside the range, but with one trusted hop it is not the client.
    expect(adminNetworkAllowed(from("198.51.100.1, 10.0.0.2"), config("10.0.0.0/8", 1))).toBe(false);
  });

  it("refusal is a 403 forbidden AppError", () => {
    expect(() => assertAdminNetwork(from("203.0.113.9"), config("10.0.0.0/8"))).toThrow(
      expect.objectContaining({ code: "forbidden", status: 403 }),
    );
  });
});
