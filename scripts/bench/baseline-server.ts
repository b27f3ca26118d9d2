/**
 * The process that serves one of `npm run bench -- api`'s baselines (the bench starts it):
 * BASELINE (raw | bare), DATABASE_URL, PORT, POOL_MAX, REFERENCE_DATE, FEED_LIVE.
 * Prints "listening <port>" once it accepts connections.
 */
import http from "node:http";
import pg from "pg";
import { bareApi } from "./bare-api";
import { rawApi } from "./raw-api";

export interface BaselineOptions {
  pool: pg.Pool;
  /** The instant notice status is judged at, as Beacon's feed judges it. */
  referenceDate: Date;
  live: boolean;
}

export type BaselineHandler = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;

export const BASELINES = { raw: rawApi, bare: bareApi } satisfies Record<
  string,
  (o: BaselineOptions) => BaselineHandler
>;

/** An HTTP server around a baseline's handler; an unexpected error is a bare 500. */
export function baselineServer(handle: BaselineHandler) {
  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" }).end('{"code":"internal"}');
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  return server;
}

if (process.env.BASELINE) {
  const baseline = BASELINES[process.env.BASELINE as keyof typeof BASELINES];
  if (!baseline) throw new Error(`BASELINE must be one of ${Object.keys(BASELINES).join(", ")}`);
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_MAX ?? 10) });
  pool.on("error", () => {});
  const server = baselineServer(
    baseline({
      pool,
      referenceDate: new Date(process.env.REFERENCE_DATE ?? Date.now()),
      live: process.env.FEED_LIVE === "true",
    }),
  );
  server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
    const address = server.address();
    process.stdout.write(`listening ${typeof address === "object" && address ? address.port : ""}\n`);
  });
  process.on("SIGTERM", () => {
    server.close();
    void pool.end().finally(() => process.exit(0));
  });
}
