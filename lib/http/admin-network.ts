import type { BlockList } from "node:net";
import { env, type Env } from "@/lib/env";
import { addressInList, cidrBlockList, parseCidrList } from "./cidr";
import { clientAddressFrom } from "./client-ip";
import { AppError } from "./errors";

let parsed: { source: string; list: BlockList | null } | undefined;

function allowlist(source: string | undefined): BlockList | null {
  const text = source?.trim() ?? "";
  if (parsed?.source !== text) {
    const cidrs = text ? parseCidrList(text) : [];
    parsed = { source: text, list: cidrs.length > 0 ? cidrBlockList(cidrs) : null };
  }
  return parsed.list;
}

/**
 * Whether a request may reach the cockpit or the operator API under ADMIN_IP_ALLOWLIST_CIDRS
 * (unset: everyone). The client address is the one the trusted-proxy rules pick (never a
 * client-written X-Forwarded-For entry); a request whose address cannot be told is refused.
 */
export function adminNetworkAllowed(headers: Headers, e: Env = env()): boolean {
  const list = allowlist(e.ADMIN_IP_ALLOWLIST_CIDRS);
  if (!list) return true;
  const address = clientAddressFrom(headers, e.TRUSTED_PROXY_HOPS);
  return address !== null && addressInList(list, address);
}

export const ADMIN_NETWORK_REFUSED = "Operator access is not allowed from this network.";

export function assertAdminNetwork(headers: Headers, e: Env = env()) {
  if (!adminNetworkAllowed(headers, e)) throw new AppError("forbidden", ADMIN_NETWORK_REFUSED);
}
