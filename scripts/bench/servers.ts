import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

/** Servers the benchmarks start: Beacon on `next start` (the production build) and raw baselines. */
export const ROOT = path.resolve(import.meta.dirname, "../..");

/** `next start` needs a production build; make one when there is none (or with --build). */
export function ensureProductionBuild(force: boolean) {
  if (!force && fs.existsSync(path.join(ROOT, ".next", "BUILD_ID"))) return;
  console.error("  no production build: running `next build` (≈ 1–3 min)…");
  const build = spawnSync(path.join(ROOT, "node_modules/.bin/next"), ["build"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (build.status !== 0) throw new Error("`next build` failed; see its output above.");
}

/** Beacon as production runs it (lib/env.ts productionConfigProblems), with bench-only secrets; `extra` adds or overrides. */
function beaconEnv(port: number, databaseUrl: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: databaseUrl,
    APP_URL: `http://127.0.0.1:${port}`,
    AUTH_SECRET: randomBytes(32).toString("hex"),
    METRICS_TOKEN: `m${randomBytes(8).toString("hex")}`,
    STRIPE_SECRET_KEY: "sk_test_bench_not_a_real_key",
    STRIPE_WEBHOOK_SECRET: "whsec_bench_not_a_real_secret",
    INNGEST_SIGNING_KEY: `signkey-prod-${randomBytes(32).toString("hex")}`,
    AUTO_MIGRATE: "false",
    SEED_DEMO_DATA: "false",
    LOG_LEVEL: "error",
    ...extra,
  };
}

export function startBeacon(
  port: number,
  databaseUrl: string,
  extra: Record<string, string> = {},
  nodeArgs: string[] = [],
) {
  const next = path.join(ROOT, "node_modules/next/dist/bin/next");
  return launch(
    process.execPath,
    [...nodeArgs, next, "start", "-p", String(port), "-H", "127.0.0.1"],
    beaconEnv(port, databaseUrl, extra),
  );
}

/** `npm start` with `workers` workers behind one port (scripts/start.mjs). */
export function startBeaconWorkers(
  port: number,
  databaseUrl: string,
  workers: number,
  extra: Record<string, string> = {},
) {
  return launch(
    process.execPath,
    [path.join(ROOT, "scripts/start.mjs")],
    beaconEnv(port, databaseUrl, { ...extra, PORT: String(port), WEB_CONCURRENCY: String(workers) }),
  );
}

/** A TypeScript server script of scripts/bench run with tsx. */
export function startScript(script: string, env: Record<string, string>) {
  return launch(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts/bench", script)], {
    ...process.env,
    ...env,
  });
}

export function launch(command: string, args: string[], env: NodeJS.ProcessEnv) {
  // Its own process group, so stopping it stops anything it started, and nothing else.
  const child = spawn(command, args, { cwd: ROOT, env, detached: true, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  Object.defineProperty(child, "stderrTail", { get: () => stderr });
  return child;
}

export function stderrTail(child: ChildProcess) {
  return (child as ChildProcess & { stderrTail?: string }).stderrTail ?? "";
}

export function stop(child: ChildProcess) {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    // Already gone.
  }
}

/** Stops a server and waits until it has exited (and so written what it writes on exit). */
export async function stopAndWait(child: ChildProcess, timeoutMs = 30_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  stop(child);
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
}

export async function waitForReady(url: string, child: ChildProcess, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`server exited (${child.exitCode}) before it was ready:\n${stderrTail(child)}`);
    const ready = await fetch(url).then(
      (r) => r.status < 500,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} was not ready within ${timeoutMs / 1000} s`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
