import http from "node:http";
import type net from "node:net";
import { appendSocketPeer } from "@/lib/http";

export type RouteHandler = (
  request: Request,
  context: { params: Promise<Record<string, string>> },
) => Promise<Response>;
/** A route file's exports: its method handlers (other exports such as `dynamic` are ignored). */
export type RouteModule = Record<string, unknown>;

async function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
  if (req.method === "GET" || req.method === "HEAD") return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** `/api/v1/alerts/{id}` → a matcher handing back `{ id }` for `/api/v1/alerts/…`. */
function matcherFor(template: string) {
  const names: string[] = [];
  const pattern = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return "([^/]+)";
  });
  const regex = new RegExp(`^${pattern}$`);
  return (pathname: string) => {
    const match = regex.exec(pathname);
    return match ? Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)])) : null;
  };
}

/**
 * A real HTTP server in this process that hands each request to the Next.js route handler for
 * its path, as `next start` does after routing: a Fetch `Request` in, a `Response` out, path
 * parameters from `{name}` segments. No build is needed, and everything behind the handler
 * (auth, limiter, database) is the app's.
 */
export async function startRouteServer(routes: Record<string, RouteModule>, port = 0) {
  const table = Object.entries(routes).map(([template, module]) => ({ match: matcherFor(template), module }));
  const sockets = new Set<net.Socket>();
  const server = http.createServer(async (req, res) => {
    try {
      // What the app's instrumentation does for every server: the TCP peer ends X-Forwarded-For.
      appendSocketPeer(req);
      const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
      let handler: RouteHandler | undefined;
      let params: Record<string, string> = {};
      for (const route of table) {
        const found = route.match(url.pathname);
        if (!found) continue;
        handler = route.module[req.method ?? "GET"] as RouteHandler | undefined;
        params = found;
        break;
      }
      if (!handler) {
        res.writeHead(404).end();
        return;
      }
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
      }
      const body = await readBody(req);
      const response = await handler(
        new Request(url, { method: req.method, headers, body: body ? new Uint8Array(body) : undefined }),
        { params: Promise.resolve(params) },
      );
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
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
