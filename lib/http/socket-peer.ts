import type { IncomingMessage } from "node:http";
import { onServerRequest } from "@/lib/observability";

/** Appends the TCP peer's address to X-Forwarded-For, as a reverse proxy does. */
export function appendSocketPeer(request: IncomingMessage) {
  const peer = request.socket?.remoteAddress;
  if (!peer) return;
  const existing = request.headers["x-forwarded-for"];
  const prior = Array.isArray(existing) ? existing.join(", ") : existing;
  request.headers["x-forwarded-for"] = prior ? `${prior}, ${peer}` : peer;
}

/**
 * Next.js's server sets X-Forwarded-For only when the client did not send one, so a client
 * talking to `next start` directly could pick its own address. Route handlers and server
 * actions cannot see the socket, so every HTTP server in this process appends the peer before
 * Next.js reads the request: the rightmost entry is then always the real TCP peer
 * (see clientIpFrom). Called once from instrumentation-node.ts.
 */
export function recordSocketPeers() {
  onServerRequest(appendSocketPeer);
}
