/**
 * `npm run cli -- <command> [--flags]` (API.md). Prints one JSON object on stdout; on error,
 * a message on stderr and a non-zero exit; log lines go to stderr. Uses the same database as
 * the app: DATABASE_URL, or the embedded PGlite data dir — through the running app server when
 * it has the dir open (it serves it on a loopback port), else opened here.
 */
import { closeDatabase } from "@/db/client";
import { sendLogsToStderr } from "@/lib/observability";
import { runCli } from "./cli-main";

sendLogsToStderr();
const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
await closeDatabase().catch(() => {});
process.exit(code);
