import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A stand-in for Inngest's Event API (`POST /e/{event key}`), for tests: records what the
 * client sends and answers like Inngest does. Point a client at it with
 * `inngest.setEnvVars({ INNGEST_BASE_URL: server.url, INNGEST_DEV: "1" })`.
 */
export interface SentEvent {
  name: string;
  id?: string;
  data?: Record<string, unknown>;
}

export interface FakeInngestServer {
  url: string;
  events: SentEvent[];
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage) {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startFakeInngestServer(): Promise<FakeInngestServer> {
  const events: SentEvent[] = [];
  const server = createServer(async (request, response) => {
    if (request.method !== "POST" || !request.url?.startsWith("/e/")) {
      response
        .writeHead(404, { "content-type": "application/json" })
        .end(JSON.stringify({ error: "not found", status: 404 }));
      return;
    }
    const parsed = JSON.parse(await readBody(request)) as SentEvent | SentEvent[];
    const batch = Array.isArray(parsed) ? parsed : [parsed];
    events.push(...batch);
    response
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify({ ids: batch.map((e, i) => e.id ?? `evt-${events.length}-${i}`), status: 200 }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    events,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
