import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { activeLocalExecutor, backgroundExecutor } from "@/lib/jobs";
import { startFakeInngestServer, type FakeInngestServer } from "@/tests/fakes/inngest-server";
import { perTestEnv } from "@/tests/env";
import { restoreInngestClient } from "@/tests/support/inngest";
import { startBackgroundFunctions, stopBackgroundFunctions } from "./background";
import { heartbeat } from "./functions/heartbeat";

const setEnv = perTestEnv();
let tmp: string;
let server: FakeInngestServer | null = null;

/** A development process with no Inngest configured and no inngest-cli on PATH. */
function freshDevelopment() {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "beacon-background-"));
  setEnv({ NODE_ENV: "development", INNGEST_DEV: undefined, INNGEST_BASE_URL: undefined, PATH: tmp });
}

afterEach(async () => {
  await stopBackgroundFunctions();
  await server?.close();
  server = null;
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("startBackgroundFunctions", () => {
  it("runs the functions in-process in development when no Inngest dev server can be had", async () => {
    freshDevelopment();
    const started = await startBackgroundFunctions([heartbeat]);
    expect(started.status.kind).toBe("in-process");
    expect(backgroundExecutor().label).toBe("in-process (development)");
    expect(activeLocalExecutor()).not.toBeNull();
    await stopBackgroundFunctions();
    expect(activeLocalExecutor()).toBeNull();
  });

  it("uses a reachable Inngest dev server named by INNGEST_BASE_URL, and runs nothing in-process", async () => {
    freshDevelopment();
    server = await startFakeInngestServer();
    setEnv({ INNGEST_BASE_URL: server.url });
    const started = await startBackgroundFunctions([heartbeat]);
    expect(started.status.kind).toBe("inngest-dev-server");
    expect(backgroundExecutor().label).toBe("Inngest dev server");
    expect(activeLocalExecutor()).toBeNull();
  });

  it("leaves production to Inngest", async () => {
    freshDevelopment();
    setEnv({ NODE_ENV: "production" });
    const started = await startBackgroundFunctions([heartbeat]);
    expect(started.status).toMatchObject({ kind: "inngest", label: "Inngest" });
    expect(activeLocalExecutor()).toBeNull();
  });

  it("starts inngest-cli from PATH as a dev server pointed at the app", async () => {
    freshDevelopment();
    const argsFile = path.join(tmp, "args");
    fs.writeFileSync(
      path.join(tmp, "inngest-cli"),
      `#!/bin/sh\necho "$@" > "${argsFile}"\nexec "${process.execPath}" -e "setTimeout(() => {}, 60000)"\n`,
      { mode: 0o755 },
    );
    setEnv({ PORT: "3123", APP_URL: undefined, INNGEST_DEV: undefined });
    try {
      const started = await startBackgroundFunctions([heartbeat]);
      expect(started.status.kind).toBe("inngest-dev-server");
      expect(activeLocalExecutor()).toBeNull();
      while (!fs.existsSync(argsFile) || !fs.readFileSync(argsFile, "utf8").includes("\n"))
        await new Promise((resolve) => setImmediate(resolve));
      expect(fs.readFileSync(argsFile, "utf8").trim()).toBe("dev --no-discovery -u http://localhost:3123/api/inngest");
    } finally {
      await restoreInngestClient();
    }
  });
});
