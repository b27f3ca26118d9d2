import { parseArgs } from "node:util";
import { database } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { seedDatabase } from "@/db/seed";
import { runCommand, COMMANDS } from "./cli-commands";

export interface CliOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/**
 * One CLI invocation (API.md "Command line"): one JSON object on stdout and exit status 0; on
 * error, nothing on stdout, a message on stderr and exit status 1. `scripts/cli.ts` is its
 * process wrapper; tests call it in-process.
 */
export async function runCli(argv: string[], out: CliOutput): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (!command || command === "help" || command === "--help") {
      out.stdout(`${JSON.stringify({ commands: Object.keys(COMMANDS) })}\n`);
      return 0;
    }
    // Name an unknown command before parseArgs complains about its flags instead.
    if (!Object.hasOwn(COMMANDS, command))
      throw new Error(`Unknown command "${command}". Commands: ${Object.keys(COMMANDS).join(", ")}`);
    const spec = COMMANDS[command]!;
    const { values, positionals } = parseArgs({
      args: rest,
      options: spec.options,
      strict: true,
      allowPositionals: (spec.positionals ?? 0) > 0,
    });
    const result = await runCommand(
      command,
      values as Record<string, string | undefined>,
      { database, migrateDatabase, seedDatabase },
      positionals,
    );
    out.stdout(`${JSON.stringify(result)}\n`);
    // A job run that ended failed is printed, and the exit status says so (for schedulers and CI).
    return command === "jobs:run" && result.status === "failed" ? 1 : 0;
  } catch (error) {
    const errors = (error as { extra?: { errors?: { path: string; message: string }[] } }).extra?.errors;
    out.stderr(
      `error: ${describeError(error)}${errors?.length ? `\n${errors.map((e) => `  ${e.path}: ${e.message}`).join("\n")}` : ""}\n`,
    );
    return 1;
  }
}

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
