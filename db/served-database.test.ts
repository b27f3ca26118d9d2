/**
 * One embedded database for every local process: the app server owns the PGlite data dir and
 * serves it on a loopback port (openServedDatabase); the CLI, run as a real second process while
 * the owner holds the dir, connects there instead of failing, and its write is the owner's.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, openServedDatabase, type DatabaseHandle } from "@/db/client";
import { lockFileFor, type LockHolder } from "@/db/data-dir-lock";
import { migrateDatabase } from "@/db/migrate";
import { users } from "@/db/schema";
import { migratedPgliteDataDir } from "@/tests/db";

const ROOT = path.resolve(import.meta.dirname, "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const CLI = path.join(ROOT, "scripts", "cli.ts");
const TIMEOUT = 120_000;

let tmp: string;
let dataDir: string;
const handles: DatabaseHandle[] = [];

function cliEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "test", PGLITE_DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  return env;
}

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      TSX,
      [CLI, ...args],
      { cwd: ROOT, env: cliEnv(), timeout: 90_000, encoding: "utf8" },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

beforeEach(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "beacon-served-"));
  dataDir = path.join(tmp, "pglite");
  await migratedPgliteDataDir(dataDir);
});

afterEach(async () => {
  for (const handle of handles.splice(0)) await handle.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("openServedDatabase", () => {
  it("serves the data dir it owns and names the address in its lock", { timeout: TIMEOUT }, async () => {
    const owner = await openServedDatabase({ dataDir });
    handles.push(owner);
    const holder = JSON.parse(fs.readFileSync(lockFileFor(dataDir), "utf8")) as LockHolder;
    expect(holder.pid).toBe(process.pid);
    expect(holder.address).toEqual({ host: "127.0.0.1", port: expect.any(Number) });
    expect(owner.label).toContain(`127.0.0.1:${holder.address!.port}`);
    const result = await owner.db.execute<{ one: number }>(sql`select 1 as one`);
    expect(result.rows[0]!.one).toBe(1);
  });

  it(
    "lets the CLI in a second process write while the owner holds the dir, and the owner sees the write",
    { timeout: TIMEOUT },
    async () => {
      const owner = await openServedDatabase({ dataDir });
      handles.push(owner);
      await migrateDatabase(owner);

      const run = await runCli([
        "operator:create",
        "--email",
        "second-terminal@beacon.test",
        "--password",
        "long-enough-pass",
        "--role",
        "ops_admin",
      ]);
      expect(run.code, run.stderr).toBe(0);
      const created = JSON.parse(run.stdout) as { user_id: string };

      const [row] = await owner.db.select({ email: users.email }).from(users).where(eq(users.id, created.user_id));
      expect(row?.email).toBe("second-terminal@beacon.test");
      // The owner still holds the lock: the CLI connected, it did not take over the files.
      expect((JSON.parse(fs.readFileSync(lockFileFor(dataDir), "utf8")) as LockHolder).pid).toBe(process.pid);
    },
  );

  it("an owner that does not serve still refuses a second process", { timeout: TIMEOUT }, async () => {
    const owner = openDatabase({ dataDir });
    handles.push(owner);
    await owner.db.execute(sql`select 1`);
    const run = await runCli(["db:migrate"]);
    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`pid ${process.pid}`);
    expect(run.stderr).toMatch(/in use/);
  });
});
