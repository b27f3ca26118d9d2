import http from "node:http";
import type net from "node:net";
import { appendSocketPeer, pathMatcher, sendFetchResponse, toFetchRequest } from "@/lib/http";

export type RouteHandler = (
  request: Request,
  context: { params: Promise<Record<string, string>> },
) => Promise<Response>;
/** A route file's exports: its method handlers (other exports such as `dynamic` are ignored). */
export type RouteModule = Record<string, unknown>;

/**
 * A real HTTP server in this process that hands each request to the Next.js route handler for
 * its path, as `next start` does after routing: a Fetch `Request` in, a `Response` out, path
 * parameters from `{name}` segments. No build is needed, and everything behind the handler
 * (auth, limiter, database) is the app's.
 */
export async function startRouteServer(routes: Record<string, RouteModule>, port = 0) {
  const table = Object.entries(routes).map(([template, module]) => ({ match: pathMatcher(template), module }));
  const sockets = new Set<net.Socket>();
  const server = http.createServer(async (req, res) => {
    try {
      // What the app's instrumentation does for every server: the TCP peer ends X-Forwarded-For.
      appendSocketPeer(req);
      const pathname = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
      let handler: RouteHandler | undefined;
      let params: Record<string, string> = {};
      for (const route of table) {
        const found = route.match(pathname);
        if (!found) continue;
        handler = route.module[req.method ?? "GET"] as RouteHandler | undefined;
        params = found;
        break;
      }
      if (!handler) {
        res.writeHead(404).end();
        return;
      }
      // The production server's own adapter (lib/http/node-adapter.ts): the same Request in,
      // the same bytes out, as the public API served before Next.js.
      const response = await handler(toFetchRequest(req, res), { params: Promise.resolve(params) });
      await sendFetchResponse(req, res, response);
    } catch (error) {
      // Route handlers turn every error into Problem+JSON; reaching this is a bug worth seeing.
      res.writeHead(599, { "content-type": "text/plain" }).end(String(error));
    }
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const { port: bound } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
