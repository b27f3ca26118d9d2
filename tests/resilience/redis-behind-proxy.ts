import { afterAll, beforeAll } from "vitest";
import { env } from "@/lib/env";
import { createRateLimiter, setRateLimiter, type RateLimiter } from "@/lib/ratelimit";
import { startAppServer } from "./app-server";
import { startTcpProxy } from "./tcp-proxy";

/**
 * The production limiter (Redis, with its outage policies) talking to the real Redis through a
 * TCP proxy the test can cut or stall, and an app server using it. Register at the top of a test
 * file; read the handles inside tests.
 */
export function withRedisBehindProxy(prefix: string) {
  const handles = {} as {
    app: Awaited<ReturnType<typeof startAppServer>>;
    proxy: Awaited<ReturnType<typeof startTcpProxy>>;
    limiter: RateLimiter;
  };
  beforeAll(async () => {
    handles.proxy = await startTcpProxy(process.env.REDIS_URL!);
    handles.limiter = createRateLimiter({ ...env(), REDIS_URL: handles.proxy.url }, { prefix });
    setRateLimiter(handles.limiter);
    handles.app = await startAppServer();
  });
  afterAll(async () => {
    await handles.app?.close();
    setRateLimiter(undefined);
    await handles.limiter?.close?.();
    await handles.proxy?.close();
  });
  return handles;
}
