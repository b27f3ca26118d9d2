import http from "node:http";
import type net from "node:net";
import * as readyz from "@/app/api/readyz/route";
import * as searchRoute from "@/app/api/v1/opportunities/route";
import * as stripeWebhook from "@/app/api/webhooks/stripe/route";
import { appendSocketPeer } from "@/lib/http";

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** The App Router route handlers these scenarios drive, by path (no dynamic segments needed). */
const ROUTES: Record<string, Partial<Record<"GET" | "POST", Handler>>> = {
  "/api/readyz": readyz,
  "/api/v1/opportunities": searchRoute,
  "/api/webhooks/stripe": stripeWebhook,
};

async function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
  if (req.method === "GET" || req.method === "HEAD") return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A real HTTP server in this process that hands each request to the Next.js route handler for
 * its path, as `next start` does after routing: a Fetch `Request` in, a `Response` out. No
 * build is needed, and everything behind the handler (auth, limiter, database) is the app's.
 */
export async function startAppServer(port = 0) {
  const sockets = new Set<net.Socket>();
  const server = http.createServer(async (req, res) => {
    try {
      // What the app's instrumentation does for every server: the TCP peer ends X-Forwarded-For.
      appendSocketPeer(req);
      const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
      const handler = ROUTES[url.pathname]?.[req.method as "GET" | "POST"];
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
        { params: Promise.resolve({}) },
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
