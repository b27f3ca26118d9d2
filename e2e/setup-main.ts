/**
 * Loads what the journeys need before `next start` opens the database: runs the CLI's commands
 * (scripts/cli-main.ts, the same code as `npm run cli`) in one process, in order, each one's JSON
 * answer written to its file when it names one. One process instead of one per command: each CLI
 * start costs seconds on a busy 2-core machine.
 *
 * Usage: tsx e2e/setup-main.ts  (the commands come as JSON in E2E_SETUP_COMMANDS, set by
 * playwright.config.ts: [{ "args": ["db:seed"], "output": "/tmp/file.json" }, …]).
 */
import fs from "node:fs";
import { closeDatabase } from "@/db/client";
import { sendLogsToStderr } from "@/lib/observability";
import { runCli } from "@/scripts/cli-main";
import type { SetupCommand } from "./setup-commands";

sendLogsToStderr();
const commands = JSON.parse(process.env.E2E_SETUP_COMMANDS ?? "[]") as SetupCommand[];
let code = 0;
for (const { args, output } of commands) {
  let answer = "";
  code = await runCli(args, { stdout: (text) => void (answer += text), stderr: (text) => process.stderr.write(text) });
  if (code !== 0) {
    process.stderr.write(`e2e setup: "${args[0]}" failed\n`);
    break;
  }
  if (output) fs.writeFileSync(output, answer);
}
await closeDatabase().catch(() => {});
process.exit(code);
