import http, { type IncomingMessage } from "node:http";

/** Appends the TCP peer's address to X-Forwarded-For, as a reverse proxy does. */
export function appendSocketPeer(request: IncomingMessage) {
  const peer = request.socket?.remoteAddress;
  if (!peer) return;
  const existing = request.headers["x-forwarded-for"];
  const prior = Array.isArray(existing) ? existing.join(", ") : existing;
  request.headers["x-forwarded-for"] = prior ? `${prior}, ${peer}` : peer;
}

const INSTALLED = Symbol.for("beacon.socketPeerRecorded");
type PatchableServer = { emit: (event: string | symbol, ...args: unknown[]) => boolean; [INSTALLED]?: boolean };

/**
 * Next.js's server sets X-Forwarded-For only when the client did not send one, so a client
 * talking to `next start` directly could pick its own address. Route handlers and server
 * actions cannot see the socket, so every HTTP server in this process appends the peer before
 * Next.js reads the request: the rightmost entry is then always the real TCP peer
 * (see clientIpFrom). Called once from instrumentation-node.ts.
 */
export function recordSocketPeers() {
  const prototype = http.Server.prototype as unknown as PatchableServer;
  if (prototype[INSTALLED]) return;
  const emit = prototype.emit;
  prototype.emit = function (this: unknown, event: string | symbol, ...args: unknown[]) {
    if (event === "request") appendSocketPeer(args[0] as IncomingMessage);
    return emit.call(this, event, ...args);
  };
  prototype[INSTALLED] = true;
}
