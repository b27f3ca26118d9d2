/**
 * Test support (imported only by tests): a local stand-in for SAM.gov's Get Opportunities v2
 * on 127.0.0.1 that pages recorded records by `offset`/`limit` like the real API, checks the
 * API key, and can be scripted to fail (status codes, Retry-After, connection resets).
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

export const RECORDED_API_PAGE = path.resolve(
  import.meta.dirname,
  "../fixtures/sam/api-v2/alpha_test-environment_901.json",
);

export function recordedApiRecords(): Record<string, unknown>[] {
  return (JSON.parse(fs.readFileSync(RECORDED_API_PAGE, "utf8")) as { opportunitiesData: Record<string, unknown>[] })
    .opportunitiesData;
}

/** A scripted answer: a status with headers and body, or a connection dropped without a response. */
export type FakeAnswer = { status: number; headers?: Record<string, string>; body?: string } | "reset";

export interface FakeRequest {
  offset: number;
  limit: number;
  params: URLSearchParams;
}

export interface FakeSamServer {
  /** The search endpoint, for `baseUrl`. */
  url: string;
  apiKey: string;
  records: Record<string, unknown>[];
  requests: FakeRequest[];
  /** Answers given before normal service, one per request, in order. */
  script: FakeAnswer[];
  /** Consulted after the script: return an answer to fail this request, undefined to serve it. */
  failWhen: ((request: FakeRequest) => FakeAnswer | undefined) | undefined;
  reset(records?: Record<string, unknown>[]): void;
  close(): Promise<void>;
}

export const INVALID_KEY_BODY = JSON.stringify({
  error: { code: "API_KEY_INVALID", message: "An invalid api_key was supplied. Get one at https://api.sam.gov:443" },
});

export async function startFakeSamServer(options: {
  apiKey: string;
  records: Record<string, unknown>[];
}): Promise<FakeSamServer> {
  const state: Omit<FakeSamServer, "url" | "close"> = {
    apiKey: options.apiKey,
    records: options.records,
    requests: [],
    script: [],
    failWhen: undefined,
    reset(records) {
      state.records = records ?? options.records;
      state.requests = [];
      state.script = [];
      state.failWhen = undefined;
    },
  };
  const answer = (res: http.ServerResponse, req: http.IncomingMessage, a: FakeAnswer) => {
    if (a === "reset") {
      req.socket.destroy();
      return;
    }
    res.writeHead(a.status, { "content-type": "application/json", ...a.headers });
    res.end(a.body ?? JSON.stringify({ error: { code: String(a.status), message: "scripted failure" } }));
  };
  const server = http.createServer((req, res) => {
    const params = new URL(req.url ?? "/", "http://127.0.0.1").searchParams;
    const request: FakeRequest = {
      offset: Number(params.get("offset") ?? 0),
      limit: Number(params.get("limit") ?? 1),
      params,
    };
    state.requests.push(request);
    const scripted = state.script.shift() ?? state.failWhen?.(request);
    if (scripted) return answer(res, req, scripted);
    if (params.get("api_key") !== state.apiKey) return answer(res, req, { status: 401, body: INVALID_KEY_BODY });
    const page = state.records.slice(request.offset, request.offset + request.limit);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        totalRecords: state.records.length,
        limit: request.limit,
        offset: request.offset,
        opportunitiesData: page,
        links: [{ rel: "self", href: "https://api.sam.gov/opportunities/v2/search" }],
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/opportunities/v2/search`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
