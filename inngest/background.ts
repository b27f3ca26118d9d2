import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { InngestFunction } from "inngest";
import { appUrl, env, inngestDevMode, isProduction } from "@/lib/env";
import { LocalExecutor, recordBackgroundExecutor, type BackgroundExecutorStatus } from "@/lib/jobs";
import { logger } from "@/lib/observability";
import { inngest } from "./client";
import { FUNCTIONS } from "./functions";

/**
 * Server start: who runs the background functions.
 * - Production: Inngest (Cloud or self-hosted) calls /api/inngest; nothing starts here.
 * - Development with a reachable Inngest dev server (INNGEST_BASE_URL, or INNGEST_DEV set to 1 or
 *   a URL): that one. With `inngest-cli` on PATH: it is started, pointed at this app.
 * - Otherwise (offline, no binary: `npm run dev` on a fresh clone): the in-process executor runs
 *   the same functions here (lib/jobs/local-executor), so crons and sent events still run.
 */
const DEV_SERVER_URL = "http://127.0.0.1:8288";
/** How often the in-process scheduler looks for due crons (they fire on minute boundaries). */
const TICK_EVERY_MS = 10_000;

export interface BackgroundFunctions {
  status: BackgroundExecutorStatus;
  stop(): Promise<void>;
}

function devServerUrl(e = env()): string | null {
  if (e.INNGEST_BASE_URL) return e.INNGEST_BASE_URL;
  if (!inngestDevMode(e)) return null;
  return /^https?:\/\//.test(e.INNGEST_DEV ?? "") ? e.INNGEST_DEV! : DEV_SERVER_URL;
}

async function reachable(url: string) {
  try {
    await fetch(url, { signal: AbortSignal.timeout(1_500) });
    return true;
  } catch {
    return false;
  }
}

function inngestCliOnPath(): string | null {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, "inngest-cli");
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

function startInngestCli(binary: string): BackgroundFunctions {
  const child = spawn(binary, ["dev", "--no-discovery", "-u", `${appUrl()}/api/inngest`], { stdio: "ignore" });
  child.on("exit", (code) => logger.warn({ code }, "inngest dev server exited"));
  process.once("exit", () => child.kill());
  // The SDK reads these when a client is created (route bundles) or told (this one).
  process.env.INNGEST_DEV = DEV_SERVER_URL;
  inngest.setEnvVars({ INNGEST_DEV: DEV_SERVER_URL });
  return {
    status: {
      kind: "inngest-dev-server",
      label: "Inngest dev server (started with the app)",
      detail: `${binary} dev, at ${DEV_SERVER_URL}, calls ${appUrl}/api/inngest.`,
    },
    stop: async () => {
      child.kill();
    },
  };
}

// One per process, even if the server's start-up code runs again (dev hot reload).
const globalForBackground = globalThis as unknown as { __beaconBackgroundFunctions?: Promise<BackgroundFunctions> };

export function startBackgroundFunctions(
  functions: readonly InngestFunction.Any[] = FUNCTIONS,
): Promise<BackgroundFunctions> {
  globalForBackground.__beaconBackgroundFunctions ??= start(functions).catch((error: unknown) => {
    globalForBackground.__beaconBackgroundFunctions = undefined;
    throw error;
  });
  return globalForBackground.__beaconBackgroundFunctions;
}

/** Stops what startBackgroundFunctions started (tests; a server shutting down). */
export async function stopBackgroundFunctions() {
  const started = globalForBackground.__beaconBackgroundFunctions;
  globalForBackground.__beaconBackgroundFunctions = undefined;
  await (await started)?.stop();
}

async function start(functions: readonly InngestFunction.Any[]): Promise<BackgroundFunctions> {
  const started = await chooseAndStart(functions);
  recordBackgroundExecutor(started.status);
  logger.info({ executor: started.status.kind }, `background functions: ${started.status.label}`);
  return started;
}

async function chooseAndStart(functions: readonly InngestFunction.Any[]): Promise<BackgroundFunctions> {
  if (isProduction()) {
    return {
      status: {
        kind: "inngest",
        label: "Inngest",
        detail: "Inngest (Cloud or self-hosted) calls /api/inngest to run scheduled and event-triggered functions.",
      },
      stop: async () => {},
    };
  }
  const url = devServerUrl();
  if (url && (await reachable(url))) {
    return {
      status: {
        kind: "inngest-dev-server",
        label: "Inngest dev server",
        detail: `The Inngest dev server at ${url} runs the functions through /api/inngest.`,
      },
      stop: async () => {},
    };
  }
  const binary = inngestCliOnPath();
  if (binary) return startInngestCli(binary);
  if (url) logger.warn({ url }, "the Inngest dev server is not reachable: background functions run in-process instead");
  const executor = new LocalExecutor({ functions }).start({ tickEveryMs: TICK_EVERY_MS });
  return {
    status: {
      kind: "in-process",
      label: "in-process (development)",
      detail:
        "No Inngest dev server: this process runs the functions itself, crons on their schedules and sent events at once, recorded with trigger local.",
    },
    stop: () => executor.stop(),
  };
}
