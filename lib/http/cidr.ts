import { BlockList, isIPv4, isIPv6 } from "node:net";

export interface Cidr {
  address: string;
  prefix: number;
  family: "ipv4" | "ipv6";
}

/** `10.0.0.0/8`, `2001:db8::/32`, or a bare address (a /32 or /128); throws on anything else. */
export function parseCidr(entry: string): Cidr {
  const [address = "", prefixText, extra] = entry.trim().split("/");
  const family = isIPv4(address) ? "ipv4" : isIPv6(address) ? "ipv6" : null;
  if (!family || extra !== undefined) throw new Error(`"${entry.trim()}" is not an IPv4 or IPv6 CIDR`);
  const max = family === "ipv4" ? 32 : 128;
  if (prefixText === undefined) return { address, prefix: max, family };
  const prefix = Number(prefixText);
  if (!/^\d{1,3}$/.test(prefixText) || prefix > max)
    throw new Error(`"${entry.trim()}" has a prefix length outside 0–${max}`);
  return { address, prefix, family };
}

/** Comma-separated CIDRs → their entries (blank entries skipped); throws on the first bad one. */
export function parseCidrList(value: string): Cidr[] {
  return value
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map(parseCidr);
}

/** The ranges as a node BlockList (it matches IPv4 and IPv6, IPv4-mapped included). */
export function cidrBlockList(cidrs: Cidr[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) list.addSubnet(cidr.address, cidr.prefix, cidr.family);
  return list;
}

export function addressInList(list: BlockList, address: string) {
  return list.check(address, isIPv4(address) ? "ipv4" : "ipv6");
}
