import { env, type Env } from "@/lib/env";
import { clientIpFrom } from "@/lib/http";

/** The client address per-IP limits count, with the configured TRUSTED_PROXY_HOPS. */
export function clientIpOf(headers: Headers, config: Env = env()) {
  return clientIpFrom(headers, config.TRUSTED_PROXY_HOPS);
}
