/**
 * The CLI's commands through `runCli` (what `tsx scripts/cli.ts` runs) in this process, against
 * each available driver: a fresh PGlite database always, and a fresh PostgreSQL database when
 * DATABASE_URL is set; then the real binary as a child process, once, for what only a process
 * shows (stdout/stderr and exit status, the data-dir lock held by another process).
 * Contract (API.md "Command line"): one JSON object on stdout; on error a non-zero exit,
 * nothing on stdout and a message on stderr.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDatabase, openDatabase, setDatabase } from "@/db/client";
import { availableDrivers, type Driver } from "@/tests/db";
import { runCli } from "./cli-main";

const ROOT = path.resolve(import.meta.dirname, "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const CLI = path.join(ROOT, "scripts", "cli.ts");
const HOLD_LOCK = path.join(ROOT, "tests", "fixtures", "hold-lock.ts");
const PASSWORD = "long-enough-pass";
const SHORT_PASSWORD = "tiny-pw";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TEST_TIMEOUT = 120_000;
const RUN_TIMEOUT = 90_000;

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function withDatabase(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function adminQuery(sql: string) {
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/** Starts the lock-holding fixture (node itself, so child.pid is the holder) and waits for "locked". */
function holdLock(dataDir: string, children: ChildProcess[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", HOLD_LOCK, "lock", dataDir], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "test" },
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(() => reject(new Error(`hold-lock did not lock: ${err}`)), 60_000);
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("locked")) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`hold-lock exited with ${code}: ${err}`));
    });
  });
}

for (const driver of availableDrivers() as Driver[]) {
  describe(`cli [${driver}]`, () => {
    let tmpDir: string;
    let dbName: string | undefined;
    let orgId: string;

    /** Runs the CLI; every run also checks the invariants of the contract. */
    async function cli(...args: string[]): Promise<Result> {
      const r: Result = { code: null, stdout: "", stderr: "" };
      r.code = await runCli(args, { stdout: (text) => (r.stdout += text), stderr: (text) => (r.stderr += text) });
      expect(r.stdout, "a password on the command line must never be echoed").not.toContain(PASSWORD);
      expect(r.stdout).not.toContain(SHORT_PASSWORD);
      if (r.code === 0) {
        expect(r.stdout, `one line of output from ${args.join(" ")}`).toMatch(/^[^\n]+\n$/);
      } else {
        expect(r.stdout, `stdout on failure of ${args.join(" ")}`).toBe("");
        expect(r.stderr.trim().length, `stderr on failure of ${args.join(" ")}`).toBeGreaterThan(0);
      }
      return r;
    }

    async function ok(...args: string[]): Promise<Record<string, unknown>> {
      const r = await cli(...args);
      expect(r.code, `${args.join(" ")} failed: ${r.stderr}`).toBe(0);
      return JSON.parse(r.stdout) as Record<string, unknown>;
    }

    async function fails(...args: string[]): Promise<string> {
      const r = await cli(...args);
      expect(r.code, `${args.join(" ")} should fail, printed ${r.stdout}`).not.toBe(0);
      return r.stderr;
    }

    beforeAll(async () => {
      tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "beacon-cli-"));
      // A database nobody migrated yet: db:migrate is the first command.
      if (driver === "pglite") {
        setDatabase(openDatabase({ dataDir: path.join(tmpDir, "pglite") }));
      } else {
        dbName = `beacon_cli_test_${Date.now()}_${randomBytes(4).toString("hex")}`;
        await adminQuery(`create database "${dbName}"`);
        setDatabase(openDatabase({ url: withDatabase(process.env.DATABASE_URL!, dbName), poolMax: 5 }));
      }
    });

    afterAll(async () => {
      await closeDatabase();
      if (dbName) await adminQuery(`drop database if exists "${dbName}" with (force)`);
      fs.rmSync(tmpDir, { recursive: true, force: true });
    });

    it("db:migrate applies migrations once, then none", { timeout: TEST_TIMEOUT }, async () => {
      const first = await ok("db:migrate");
      expect(Object.keys(first)).toEqual(["applied"]);
      expect(first.applied).toBeGreaterThanOrEqual(1);
      expect(await ok("db:migrate")).toEqual({ applied: 0 });
    });

    // Before db:seed, which would load the same 901 notices from the bundled JSON.
    it(
      "opportunities:ingest --file imports a ContractOpportunitiesFullCSV extract, idempotently",
      { timeout: TEST_TIMEOUT },
      async () => {
        const file = "tests/fixtures/sam/ContractOpportunitiesFullCSV_sample_901rows.csv";
        expect(await ok("opportunities:ingest", "--file", file)).toEqual({ inserted: 901, updated: 0, skipped: 0 });
        expect(await ok("opportunities:ingest", "--file", file)).toEqual({ inserted: 0, updated: 901, skipped: 0 });
      },
    );

    it("db:seed is idempotent", { timeout: TEST_TIMEOUT }, async () => {
      const first = await ok("db:seed");
      expect(first).toEqual({ orgs: expect.any(Number), users: expect.any(Number), opportunities: expect.any(Number) });
      expect(first.orgs).toBeGreaterThanOrEqual(1);
      expect(first.users).toBeGreaterThanOrEqual(1);
      expect(await ok("db:seed")).toEqual(first);
    });

    it(
      "org:create makes an org and its owner, once per e-mail, and validates its flags",
      { timeout: TEST_TIMEOUT },
      async () => {
        const created = await ok(
          "org:create",
          "--name",
          "Acme Federal",
          "--email",
          "owner@acme.test",
          "--password",
          PASSWORD,
          "--plan",
          "starter",
        );
        expect(created).toEqual({ org_id: expect.stringMatching(UUID), user_id: expect.stringMatching(UUID) });
        orgId = created.org_id as string;

        expect(
          await fails("org:create", "--name", "Acme Again", "--email", "owner@acme.test", "--password", PASSWORD),
        ).toMatch(/account/i);
        expect(
          await fails(
            "org:create",
            "--name",
            "Gold Co",
            "--email",
            "gold@acme.test",
            "--password",
            PASSWORD,
            "--plan",
            "gold",
          ),
        ).toMatch(/plan/);
        expect(
          await fails("org:create", "--name", "Short Co", "--email", "short@acme.test", "--password", SHORT_PASSWORD),
        ).toMatch(/password/);
      },
    );

    it("apikey:create prints a new key for an existing org only", { timeout: TEST_TIMEOUT }, async () => {
      expect(orgId).toMatch(UUID);
      const created = await ok("apikey:create", "--org", orgId, "--name", "CI");
      expect(created.key).toMatch(/^bk_(test|live)_/);
      expect(created.prefix).toMatch(/^bk_(test|live)_/);
      expect((created.key as string).startsWith(created.prefix as string)).toBe(true);

      expect(await fails("apikey:create", "--org", "00000000-0000-0000-0000-000000000000")).toMatch(/organi[sz]ation/i);
      expect(await fails("apikey:create", "--org", "not-a-uuid")).toMatch(/organi[sz]ation/i);
    });

    it("operator:create returns a TOTP enrolment and rejects unknown roles", { timeout: TEST_TIMEOUT }, async () => {
      const created = await ok(
        "operator:create",
        "--email",
        "ops@acme.test",
        "--password",
        PASSWORD,
        "--role",
        "ops_admin",
      );
      expect(created).toEqual({
        user_id: expect.stringMatching(UUID),
        totp_secret: expect.any(String),
        otpauth_url: expect.any(String),
      });
      expect(created.otpauth_url).toMatch(/^otpauth:\/\/totp\//);
      expect(created.otpauth_url).toContain(created.totp_secret);

      expect(
        await fails("operator:create", "--email", "root@acme.test", "--password", PASSWORD, "--role", "superuser"),
      ).toMatch(/role/);
    });

    it("rejects an unknown command and an unknown flag", { timeout: TEST_TIMEOUT }, async () => {
      expect(await fails("org:destroy", "--everything")).toMatch(/org:destroy/);
      expect(await fails("db:migrate", "--force")).toMatch(/--force/);
    });
  });
}

describe("cli as a process (tsx scripts/cli.ts)", () => {
  const holders: ChildProcess[] = [];
  let tmpDir: string;
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "test" };

  function run(...args: string[]): Promise<Result> {
    return new Promise<Result>((resolve) => {
      execFile(
        TSX,
        [CLI, ...args],
        { cwd: ROOT, env, timeout: RUN_TIMEOUT, encoding: "utf8" },
        (error, stdout, stderr) => {
          resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr });
        },
      );
    });
  }

  beforeAll(() => {
    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "beacon-cli-process-"));
    delete env.DATABASE_URL;
    env.PGLITE_DATA_DIR = path.join(tmpDir, "pglite");
  });

  afterAll(() => {
    for (const holder of holders.splice(0)) holder.kill("SIGKILL");
    fs.rmSync(tmpDir, { recursive: true, force: true });
  });

  it(
    "answers one JSON line and exit 0; an error is exit 1, nothing on stdout and a message on stderr",
    { timeout: TEST_TIMEOUT },
    async () => {
      const help = await run("help");
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/^\{"commands":\[[^\n]+\]\}\n$/);
      const unknown = await run("org:destroy", "--everything");
      expect(unknown).toMatchObject({ code: 1, stdout: "" });
      expect(unknown.stderr).toMatch(/org:destroy/);
    },
  );

  it("refuses a data dir held by another process, naming the holder", { timeout: TEST_TIMEOUT }, async () => {
    const holder = await holdLock(env.PGLITE_DATA_DIR!, holders);
    const refused = await run("db:migrate");
    expect(refused).toMatchObject({ code: 1, stdout: "" });
    expect(refused.stderr).toContain(`pid ${holder.pid}`);
    expect(refused.stderr).toMatch(/in use/);
  });
});
