import http, { type IncomingMessage, type ServerResponse } from "node:http";

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;
/** Answers a request itself and returns true, or returns false to leave it to the server's handler. */
type RequestTaker = (request: IncomingMessage, response: ServerResponse) => boolean;

const LISTENERS = Symbol.for("beacon.serverRequestListeners");
const TAKERS = Symbol.for("beacon.serverRequestTakers");
type PatchableServer = {
  emit: (event: string | symbol, ...args: unknown[]) => boolean;
  [LISTENERS]?: RequestListener[];
  [TAKERS]?: RequestTaker[];
};

/**
 * Calls `listener` with every request any HTTP server of this process receives, before the
 * server's own handler (Next.js's) sees it. Route handlers, pages and server actions never see
 * the socket or the response's end; this is where the process does. Installed once per listener
 * (by function identity), so hot reloads and repeated calls do not stack.
 */
export function onServerRequest(listener: RequestListener) {
  const { listeners } = patchedServers();
  if (!listeners.includes(listener)) listeners.push(listener);
}

/**
 * Lets `taker` answer requests of every HTTP server of this process before the server's own
 * handler (Next.js's) sees them, after every `onServerRequest` listener: a request it takes
 * (returns true) never reaches Next.js. Installed once per taker, like the listeners; the
 * function returned takes it away again (tests, which share one process between files).
 */
export function takeServerRequests(taker: RequestTaker): () => void {
  const { takers } = patchedServers();
  if (!takers.includes(taker)) takers.push(taker);
  return () => {
    const at = takers.indexOf(taker);
    if (at !== -1) takers.splice(at, 1);
  };
}

function patchedServers() {
  const prototype = http.Server.prototype as unknown as PatchableServer;
  if (!prototype[LISTENERS] || !prototype[TAKERS]) {
    const listeners: RequestListener[] = [];
    const takers: RequestTaker[] = [];
    const emit = prototype.emit;
    prototype.emit = function (this: unknown, event: string | symbol, ...args: unknown[]) {
      if (event === "request") {
        const [request, response] = args as [IncomingMessage, ServerResponse];
        for (const each of listeners) each(request, response);
        for (const taker of takers) if (taker(request, response)) return true;
      }
      return emit.call(this, event, ...args);
    };
    prototype[LISTENERS] = listeners;
    prototype[TAKERS] = takers;
  }
  return { listeners: prototype[LISTENERS], takers: prototype[TAKERS] };
}
