import dns from "node:dns";
import { lookup } from "node:dns/promises";
import { BlockList, isIP, type LookupFunction } from "node:net";
import { env } from "@/lib/env";
import { AppError } from "@/lib/http";
import { PermanentDeliveryError } from "@/lib/outbox";
import type { ChannelKind } from "./rules";

/**
 * Where a channel may post. Slack and Teams URLs must be their services' incoming-webhook hosts;
 * a signed webhook may be any public https URL. Nothing may reach this machine or a private
 * network (SSRF): checked on the URL when it is saved and on the addresses its host resolves to
 * at every send. CHANNEL_LOOPBACK_URLS (journeys only) lets every kind post to 127.0.0.1.
 */
const SLACK_HOSTS = ["hooks.slack.com"];
const TEAMS_HOST_SUFFIXES = [".webhook.office.com", ".logic.azure.com", ".api.powerplatform.com"];
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

const PRIVATE = new BlockList();
for (const [address, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 3],
] as const)
  PRIVATE.addSubnet(address, prefix, "ipv4");
for (const [address, prefix] of [
  ["::", 127],
  ["::ffff:0:0", 96],
  ["64:ff9b::", 96],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const)
  PRIVATE.addSubnet(address, prefix, "ipv6");

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  return PRIVATE.check(address, family === 4 ? "ipv4" : "ipv6");
}

const loopbackAllowed = () => env().CHANNEL_LOOPBACK_URLS;

function invalid(message: string): AppError {
  return new AppError("validation_failed", message, { errors: [{ path: "url", message }] });
}

/**
 * The URL as it will be stored (sealed), or a 422 naming the `url` field. Checks the shape only;
 * where the host resolves is checked at send time (`assertPublicTarget`), when it matters.
 */
export function checkChannelUrl(kind: ChannelKind, raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw invalid("Enter the full URL, starting with https://.");
  }
  if (url.username || url.password) throw invalid("Leave the user name and password out of the URL.");
  const host = url.hostname.toLowerCase();
  if (loopbackAllowed() && LOOPBACK_HOSTS.has(host) && (url.protocol === "http:" || url.protocol === "https:"))
    return url;
  if (url.protocol !== "https:") throw invalid("The URL must start with https://.");
  if (
    LOOPBACK_HOSTS.has(host) ||
    (isIP(host.replace(/^\[|\]$/g, "")) !== 0 && isPrivateAddress(host.replace(/^\[|\]$/g, "")))
  )
    throw invalid("The URL must reach a public address, not this server or a private network.");
  if (kind === "slack" && !SLACK_HOSTS.includes(host))
    throw invalid("A Slack incoming-webhook URL starts with https://hooks.slack.com/.");
  if (kind === "teams" && !TEAMS_HOST_SUFFIXES.some((suffix) => host.endsWith(suffix)))
    throw invalid("Use the Teams incoming-webhook URL (…webhook.office.com or a Workflows …logic.azure.com URL).");
  return url;
}

/** What anyone sees of a stored URL: its host and last four characters. */
export function urlHint(url: URL): string {
  const whole = url.toString();
  return `${url.host} …${whole.slice(-4)}`;
}

/**
 * At send time, before anything is built: the host must resolve only to public addresses (a DNS
 * name can point anywhere later). Refusals are permanent: retrying would not change the answer
 * soon. The connection then resolves again through `publicOnlyLookup`, which applies the same rule.
 */
export async function assertPublicTarget(url: URL): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (loopbackAllowed() && LOOPBACK_HOSTS.has(url.hostname.toLowerCase())) return;
  if (url.protocol !== "https:") throw new PermanentDeliveryError("channel URL is not https");
  const addresses = isIP(host) !== 0 ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  if (addresses.length === 0 || addresses.some(isPrivateAddress))
    throw new PermanentDeliveryError("channel URL resolves to a private or loopback address: refused");
}

/**
 * The DNS lookup a channel post connects through: every address the host resolves to must be
 * public, and the socket connects to one of exactly those. Checking an earlier resolution only
 * would leave a window in which DNS could answer with a private address (rebinding).
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, "", 0);
    const loopbackOk = loopbackAllowed() && LOOPBACK_HOSTS.has(hostname.toLowerCase());
    if (addresses.length === 0 || (!loopbackOk && addresses.some((a) => isPrivateAddress(a.address))))
      return callback(
        new PermanentDeliveryError("channel URL resolves to a private or loopback address: refused"),
        "",
        0,
      );
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};
