/**
 * `npm run cli -- <command> [--flags]` (API.md). Prints one JSON object on stdout; on error,
 * a message on stderr and a non-zero exit; log lines go to stderr. Uses the same database as
 * the app: DATABASE_URL, or the embedded PGlite data dir — through the running app server when
 * it has the dir open (it serves it on a loopback port), else opened here.
 */
import { parseArgs } from "node:util";
import { closeDatabase, database } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { seedDatabase } from "@/db/seed";
import { sendLogsToStderr } from "@/lib/observability";
import { runCommand, COMMANDS } from "./cli-commands";

async function main(argv: string[]) {
  sendLogsToStderr();
  const [command, ...rest] = argv;
  if (!command || command === "help" || command === "--help") {
    process.stdout.write(`${JSON.stringify({ commands: Object.keys(COMMANDS) })}\n`);
    return 0;
  }
  // Name an unknown command before parseArgs complains about its flags instead.
  if (!Object.hasOwn(COMMANDS, command)) throw new Error(`Unknown command "${command}". Commands: ${Object.keys(COMMANDS).join(", ")}`);
  const spec = COMMANDS[command]!;
  const { values, positionals } = parseArgs({ args: rest, options: spec.options, strict: true, allowPositionals: (spec.positionals ?? 0) > 0 });
  const result = await runCommand(command, values as Record<string, string | undefined>, { database, migrateDatabase, seedDatabase }, positionals);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  // A job run that ended failed is printed, and the exit status says so (for schedulers and CI).
  return command === "jobs:run" && result.status === "failed" ? 1 : 0;
}

main(process.argv.slice(2))
  .then(async (code) => {
    await closeDatabase();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    const message = describeError(error);
    const errors = (error as { extra?: { errors?: { path: string; message: string }[] } }).extra?.errors;
    process.stderr.write(`error: ${message}${errors?.length ? `\n${errors.map((e) => `  ${e.path}: ${e.message}`).join("\n")}` : ""}\n`);
    await closeDatabase().catch(() => {});
    process.exit(1);
  });

/**
 * A failed query's message from drizzle repeats the SQL and its parameters (which can hold a
 * password hash): show the database's own reason instead.
 */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.message.startsWith("Failed query:")) {
    const cause = (error as { cause?: unknown }).cause;
    return `database error: ${cause instanceof Error ? cause.message : "query failed"}`;
  }
  return error.message;
}
