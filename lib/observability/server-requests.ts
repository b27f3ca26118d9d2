import http, { type IncomingMessage, type ServerResponse } from "node:http";

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

const LISTENERS = Symbol.for("beacon.serverRequestListeners");
type PatchableServer = {
  emit: (event: string | symbol, ...args: unknown[]) => boolean;
  [LISTENERS]?: RequestListener[];
};

/**
 * Calls `listener` with every request any HTTP server of this process receives, before the
 * server's own handler (Next.js's) sees it. Route handlers, pages and server actions never see
 * the socket or the response's end; this is where the process does. Installed once per listener
 * (by function identity), so hot reloads and repeated calls do not stack.
 */
export function onServerRequest(listener: RequestListener) {
  const prototype = http.Server.prototype as unknown as PatchableServer;
  if (!prototype[LISTENERS]) {
    const listeners: RequestListener[] = [];
    const emit = prototype.emit;
    prototype.emit = function (this: unknown, event: string | symbol, ...args: unknown[]) {
      if (event === "request")
        for (const each of listeners) each(args[0] as IncomingMessage, args[1] as ServerResponse);
      return emit.call(this, event, ...args);
    };
    prototype[LISTENERS] = listeners;
  }
  if (!prototype[LISTENERS].includes(listener)) prototype[LISTENERS].push(listener);
}
