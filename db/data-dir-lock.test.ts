import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { openDatabase, type DatabaseHandle } from "@/db/client";
import {
  DataDirLockedError,
  acquireDataDirLock,
  lockFileFor,
  releaseDataDirLock,
  type LockHolder,
} from "@/db/data-dir-lock";
import { migratedPgliteDataDir } from "@/tests/db";

const ROOT = path.resolve(import.meta.dirname, "..");
const FIXTURE = path.join(ROOT, "tests", "fixtures", "hold-lock.ts");

let tmp: string;
let dataDir: string;
const children: ChildProcessWithoutNullStreams[] = [];
const handles: DatabaseHandle[] = [];

function startHelper(mode: "lock" | "open", dir: string) {
  const child = spawn(process.execPath, ["--import", "tsx", FIXTURE, mode, dir], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "test" },
  });
  children.push(child);
  return child;
}

/** Resolves with the first stdout line of `child`; rejects if it exits first. */
function firstLine(child: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const newline = out.indexOf("\n");
      if (newline >= 0) resolve(out.slice(0, newline));
    });
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("exit", (code, signal) => reject(new Error(`helper exited (${code ?? signal}) before printing: ${err}`)));
  });
}

function exited(child: ChildProcessWithoutNullStreams) {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
}

function holderOf(dir: string): LockHolder {
  return JSON.parse(fs.readFileSync(lockFileFor(dir), "utf8")) as LockHolder;
}

function lockedError(fn: () => unknown): DataDirLockedError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DataDirLockedError);
    return error as DataDirLockedError;
  }
  throw new Error("expected DataDirLockedError");
}

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "beacon-lock-"));
  dataDir = path.join(tmp, "pglite");
});

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await exited(child);
  }
  for (const handle of handles.splice(0)) await handle.close();
  releaseDataDirLock(dataDir);
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("acquireDataDirLock in one process", () => {
  it("writes a lock file naming this process and removes it on release", () => {
    const release = acquireDataDirLock(dataDir, "unit test");
    expect(lockFileFor(dataDir)).toBe(path.join(tmp, "pglite.lock"));
    expect(holderOf(dataDir)).toMatchObject({ pid: process.pid, hostname: os.hostname(), command: "unit test" });
    release();
    expect(fs.existsSync(lockFileFor(dataDir))).toBe(false);
    // Free again: can be taken once more.
    acquireDataDirLock(dataDir)();
    expect(fs.existsSync(lockFileFor(dataDir))).toBe(false);
  });

  it("is re-entrant within the same process", () => {
    acquireDataDirLock(dataDir);
    expect(() => acquireDataDirLock(dataDir)).not.toThrow();
    expect(holderOf(dataDir).pid).toBe(process.pid);
    releaseDataDirLock(dataDir);
    expect(fs.existsSync(lockFileFor(dataDir))).toBe(false);
  });

  it("leaves no temporary files beside the lock", () => {
    acquireDataDirLock(dataDir);
    expect(fs.readdirSync(tmp)).toEqual(["pglite.lock"]);
  });

  it("refuses a lock held by a live process on another host", () => {
    const foreign: LockHolder = {
      pid: 1,
      hostname: `not-${os.hostname()}`,
      command: "next dev",
      startedAt: "2026-01-01T00:00:00.000Z",
    };
    fs.writeFileSync(lockFileFor(dataDir), JSON.stringify(foreign));
    const error = lockedError(() => acquireDataDirLock(dataDir));
    expect(error.holder).toEqual(foreign);
    expect(error.message).toContain(`not-${os.hostname()}`);
    expect(holderOf(dataDir)).toEqual(foreign);
  });

  it("takes over an unreadable lock file", () => {
    fs.writeFileSync(lockFileFor(dataDir), "{not json");
    acquireDataDirLock(dataDir);
    expect(holderOf(dataDir).pid).toBe(process.pid);
  });
});

describe("acquireDataDirLock across processes", () => {
  it("refuses while another process holds it, naming the holder pid, then takes over once it is killed", async () => {
    const child = startHelper("lock", dataDir);
    expect(await firstLine(child)).toBe("locked");
    expect(holderOf(dataDir)).toMatchObject({ pid: child.pid, command: "hold-lock fixture" });

    const error = lockedError(() => acquireDataDirLock(dataDir));
    expect(error.holder.pid).toBe(child.pid);
    expect(error.message).toContain(`pid ${child.pid}`);
    expect(error.message).toContain("hold-lock fixture");
    expect(error.message).toContain(dataDir);

    // SIGKILL: the child cannot run its exit handler, so the lock file stays behind, stale.
    child.kill("SIGKILL");
    await exited(child);
    expect(holderOf(dataDir).pid).toBe(child.pid);

    const release = acquireDataDirLock(dataDir);
    expect(holderOf(dataDir).pid).toBe(process.pid);
    release();
  });

  it("a second process cannot open the embedded database this process has open (CLI while the dev server runs)", async () => {
    await migratedPgliteDataDir(dataDir);
    const handle = openDatabase({ dataDir });
    handles.push(handle);
    await handle.db.execute(sql`select 1`);
    expect(holderOf(dataDir).pid).toBe(process.pid);

    const child = startHelper("open", dataDir);
    const result = JSON.parse(await firstLine(child)) as {
      ok: boolean;
      name?: string;
      message?: string;
      holderPid?: number;
    };
    expect(result.ok).toBe(false);
    expect(result.name).toBe("DataDirLockedError");
    expect(result.holderPid).toBe(process.pid);
    expect(result.message).toContain(`pid ${process.pid}`);
    expect(result.message).toMatch(/DATABASE_URL/);
    // The refused process did not disturb the holder's lock.
    await exited(child);
    expect(holderOf(dataDir).pid).toBe(process.pid);
  });

  it("openDatabase here fails while another process holds the data dir", async () => {
    const child = startHelper("lock", dataDir);
    expect(await firstLine(child)).toBe("locked");
    const error = lockedError(() => handles.push(openDatabase({ dataDir })));
    expect(error.holder.pid).toBe(child.pid);
    expect(error.message).toContain(`pid ${child.pid}`);
  });
});
