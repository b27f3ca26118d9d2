import { isIPv4, isIPv6 } from "node:net";

/**
 * The address a request came from, for per-IP rate limits.
 *
 * Every hop appends the address it received the connection from to X-Forwarded-For, so the
 * rightmost entries are trustworthy and the leftmost ones are whatever the client wrote.
 * Next.js's own server only sets the header when it is missing (a client can send its own),
 * so the Node server makes itself one more such hop (`recordSocketPeers` in ./socket-peer):
 * the last entry is always the TCP peer. `trustedProxyHops` proxies sit between the client
 * and Beacon, each appending one entry, so the client is the entry that many places before
 * the last one. Anything to its left is ignored: a spoofed X-Forwarded-For cannot change it.
 *
 * IPv6 addresses are reduced to their /64: one host usually owns a whole /64, and counting
 * each of its addresses separately would let it dodge the limit.
 */
export function clientIpFrom(headers: Headers, trustedProxyHops: number): string {
  const entry = clientEntry(headers, trustedProxyHops);
  return entry === null ? "unknown" : normalizeAddress(entry);
}

/**
 * The client's whole address (not reduced to a /64), chosen exactly as clientIpFrom chooses it,
 * for matching against address ranges; null when that entry is not an IP address.
 */
export function clientAddressFrom(headers: Headers, trustedProxyHops: number): string | null {
  const entry = clientEntry(headers, trustedProxyHops);
  if (entry === null) return null;
  const address = canonicalAddress(entry).split("%")[0]!;
  return isIPv4(address) || isIPv6(address) ? address : null;
}

function clientEntry(headers: Headers, trustedProxyHops: number): string | null {
  const entries = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) return null;
  // Fewer entries than hops: the leftmost is the furthest hop anyone recorded.
  const index = Math.max(0, entries.length - 1 - trustedProxyHops);
  return entries[index]!;
}

/** `::ffff:1.2.3.4` → `1.2.3.4`; `1.2.3.4:5678` and `[v6]:port` lose the port; IPv6 → its /64. */
export function normalizeAddress(raw: string): string {
  const address = canonicalAddress(raw);
  if (isIPv4(address)) return address;
  if (isIPv6(address)) return `${ipv6Groups(address).slice(0, 4).join(":")}::/64`;
  // Not an address (a proxy wrote "unknown" or a name): still a stable key of bounded size.
  return address.slice(0, 64);
}

/** Lower case, without brackets or port; an IPv4-mapped IPv6 address as plain IPv4. */
function canonicalAddress(raw: string): string {
  let address = raw.trim().toLowerCase();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) address = bracketed[1]!;
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(address);
  if (v4WithPort) address = v4WithPort[1]!;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(address);
  if (mapped) address = mapped[1]!;
  return address;
}

/** The eight 16-bit groups of an IPv6 address, without leading zeros. */
function ipv6Groups(address: string): string[] {
  const withoutZone = address.split("%")[0]!;
  const [head = "", tail] = withoutZone.split("::");
  const parse = (part: string) => (part ? part.split(":") : []);
  let groups: string[];
  if (tail === undefined) groups = parse(head);
  else {
    const left = parse(head);
    const right = parse(tail);
    groups = [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right];
  }
  return groups.map((group) => (group.includes(".") ? group : parseInt(group, 16).toString(16)));
}
