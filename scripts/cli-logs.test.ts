/**
 * API.md: the CLI prints exactly one JSON object on stdout. Log lines (here: every query is
 * "slow" at SLOW_QUERY_MS=1) go to stderr, so `npm run cli -- … | jq` always works.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const CLI = path.join(ROOT, "scripts", "cli.ts");

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "beacon-cli-logs-"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

it("writes log lines to stderr and only the JSON result to stdout", { timeout: 120_000 }, async () => {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "development",
    LOG_LEVEL: "info",
    SLOW_QUERY_MS: "1",
    PGLITE_DATA_DIR: path.join(tmp, "pglite"),
  };
  delete env.DATABASE_URL;
  const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(TSX, [CLI, "db:migrate"], { cwd: ROOT, env, timeout: 90_000, encoding: "utf8" }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr }),
    );
  });
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).toMatch(/^[^\n]+\n$/);
  expect(JSON.parse(run.stdout)).toEqual({ applied: expect.any(Number) });
  const logLines = run.stderr.split("\n").filter((line) => line.startsWith("{"));
  expect(logLines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toContain("slow query");
});
