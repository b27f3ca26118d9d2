import type { ParseArgsConfig } from "node:util";
import type { DatabaseHandle } from "@/db/client";
import { BackupError, backupDatabase, redactSecrets, restoreDatabase } from "@/db/backup";
import { migrationsAtHead } from "@/db/migrate";
import {
  createApiKey,
  createOperator,
  createUserWithOrganization,
  hashPassword,
  OPERATOR_ROLES,
  emailSchema,
  passwordSchema,
} from "@/lib/auth";
import { orgContext, systemActor, systemContext } from "@/lib/context";
import { PLAN_IDS, type PlanId } from "@/lib/plans";
import { env } from "@/lib/env";
import { AppError, validate } from "@/lib/http";
import { findUsageDrift, monthlyUsageReport, resetDueQuotas, setQuotaRemaining } from "@/lib/metering";
import { describeFunction, FUNCTIONS } from "@/inngest/functions";
import { runFunctionLocally, SCHEDULED_EVENT_NAME } from "@/lib/jobs";
import { importBundledOpportunities, importOpportunitiesFile, ingestFromSam } from "@/lib/opportunities";
import { z } from "zod";
import { dataDeleteCommand, dataExportCommand } from "./data-commands";

type Options = NonNullable<ParseArgsConfig["options"]>;
type Flags = Record<string, string | undefined>;

interface Deps {
  database: () => DatabaseHandle;
  migrateDatabase: (h: DatabaseHandle) => Promise<{ applied: number }>;
  seedDatabase: (h: DatabaseHandle) => Promise<{ orgs: number; users: number; opportunities: number }>;
}

const str = { type: "string" } as const;

export const COMMANDS: Record<string, { options: Options; usage: string; positionals?: number }> = {
  "db:migrate": { options: {}, usage: "db:migrate" },
  "db:seed": { options: {}, usage: "db:seed" },
  "db:backup": { options: { out: str, "database-url": str }, usage: "db:backup --out FILE [--database-url URL]" },
  "db:restore": {
    options: { file: str, "database-url": str, force: { type: "boolean" } },
    usage: "db:restore --file FILE --database-url URL [--force]",
  },
  "org:create": {
    options: { name: str, email: str, password: str, plan: str },
    usage: "org:create --name N --email E --password P [--plan PLAN]",
  },
  "apikey:create": { options: { org: str, name: str }, usage: "apikey:create --org ORG_ID [--name N]" },
  "operator:create": {
    options: { email: str, password: str, role: str, name: str },
    usage: "operator:create --email E --password P --role ops_admin|ops_support|ops_viewer",
  },
  "opportunities:ingest": { options: { file: str }, usage: "opportunities:ingest [--file PATH]" },
  "quota:set": { options: { org: str, remaining: str }, usage: "quota:set --org ORG_ID --remaining N" },
  "quota:reset": { options: { "batch-size": str }, usage: "quota:reset [--batch-size N]" },
  "usage:report": { options: { org: str, month: str }, usage: "usage:report --org ORG_ID [--month YYYY-MM]" },
  "usage:drift": { options: { month: str }, usage: "usage:drift [--month YYYY-MM]" },
  "jobs:run": { options: {}, usage: "jobs:run <function-id>", positionals: 1 },
  "data:export": { options: { org: str }, usage: "data:export --org ORG_ID" },
  "data:delete": { options: { org: str, "confirm-name": str }, usage: "data:delete --org ORG_ID --confirm-name NAME" },
};

const currentMonth = () => new Date().toISOString().slice(0, 7);

const orgCreateFlags = z
  .object({
    name: z.string().trim().min(1, "--name is required").max(120),
    email: emailSchema,
    password: passwordSchema,
    plan: z.enum(PLAN_IDS).default("free"),
  })
  .strict();

export async function runCommand(
  command: string,
  flags: Flags,
  deps: Deps,
  positionals: string[] = [],
): Promise<Record<string, unknown>> {
  const spec = COMMANDS[command];
  if (!spec)
    throw new AppError("not_found", `Unknown command "${command}". Commands: ${Object.keys(COMMANDS).join(", ")}`);
  // Backups work on PostgreSQL URLs directly (a restore target is empty by design).
  if (command === "db:backup" || command === "db:restore") return runBackupCommand(command, flags, spec.usage);
  if (command !== "db:migrate" && command !== "db:seed" && !(await migrationsAtHead(deps.database()))) {
    throw new AppError(
      "conflict",
      "The database is not migrated to the latest schema: run `npm run cli -- db:migrate` first.",
    );
  }
  switch (command) {
    case "db:migrate":
      return deps.migrateDatabase(deps.database());
    case "db:seed": {
      const handle = deps.database();
      await deps.migrateDatabase(handle);
      return deps.seedDatabase(handle);
    }
    case "org:create": {
      const input = validate(orgCreateFlags, flags);
      const created = await createUserWithOrganization({
        name: input.email.split("@")[0]!,
        email: input.email,
        passwordHash: await hashPassword(input.password),
        organizationName: input.name,
        plan: input.plan as PlanId,
        // Created by an operator at a terminal, not through a public form.
        emailVerified: new Date(),
      });
      return { org_id: created.orgId, user_id: created.userId };
    }
    case "apikey:create": {
      if (!flags.org) throw new AppError("validation_failed", `--org is required. Usage: ${spec.usage}`);
      // Beacon itself creates it, for an operator at a terminal: no member is its creator.
      const key = await createApiKey(orgContext(flags.org, systemActor("accounts")), {
        name: flags.name?.trim() || "CLI key",
      });
      return { key: key.key, prefix: key.prefix, id: key.id };
    }
    case "operator:create": {
      if (!flags.role || !(OPERATOR_ROLES as readonly string[]).includes(flags.role)) {
        throw new AppError(
          "validation_failed",
          `--role must be one of ${OPERATOR_ROLES.join(", ")}. Usage: ${spec.usage}`,
        );
      }
      const operator = await createOperator({
        email: flags.email ?? "",
        password: flags.password ?? "",
        role: flags.role as (typeof OPERATOR_ROLES)[number],
        name: flags.name,
      });
      return { user_id: operator.userId, totp_secret: operator.totpSecret, otpauth_url: operator.otpauthUrl };
    }
    case "quota:set": {
      if (!flags.org) throw new AppError("validation_failed", `--org is required. Usage: ${spec.usage}`);
      if (!/^\d+$/.test(flags.remaining ?? ""))
        throw new AppError("validation_failed", `--remaining must be a whole number ≥ 0. Usage: ${spec.usage}`);
      return setQuotaRemaining(orgContext(flags.org, systemActor("metering")), Number(flags.remaining));
    }
    case "quota:reset": {
      const batch = flags["batch-size"] ?? "200";
      if (!/^[1-9]\d{0,5}$/.test(batch))
        throw new AppError("validation_failed", `--batch-size must be a whole number ≥ 1. Usage: ${spec.usage}`);
      return { ...(await resetDueQuotas(systemContext(systemActor("metering")), { batchSize: Number(batch) })) };
    }
    case "usage:report": {
      if (!flags.org) throw new AppError("validation_failed", `--org is required. Usage: ${spec.usage}`);
      return {
        ...(await monthlyUsageReport(orgContext(flags.org, systemActor("metering")), flags.month ?? currentMonth())),
      };
    }
    case "usage:drift": {
      const month = flags.month ?? currentMonth();
      return { month, orgs: await findUsageDrift(systemContext(systemActor("metering")), month) };
    }
    case "opportunities:ingest": {
      // A file (CSV extract, or JSON) when given; else SAM.gov when a key is configured; else the bundled dataset.
      if (flags.file !== undefined) {
        if (flags.file.trim() === "")
          throw new AppError("validation_failed", `--file needs a path. Usage: ${spec.usage}`);
        return { ...(await importOpportunitiesFile(flags.file)) };
      }
      const config = env();
      if (config.SAM_API_KEY) {
        const run = await ingestFromSam({ baseUrl: config.SAM_API_BASE_URL, apiKey: config.SAM_API_KEY });
        return {
          inserted: run.inserted,
          updated: run.updated,
          skipped: run.skipped,
          posted_from: run.postedFrom,
          posted_to: run.postedTo,
        };
      }
      return { ...(await importBundledOpportunities()) };
    }
    case "jobs:run":
      return runScheduledFunction(positionals, spec.usage);
    case "data:export":
      return dataExportCommand(flags, spec.usage);
    case "data:delete":
      return dataDeleteCommand(flags, spec.usage);
  }
  throw new AppError("not_found", `Unknown command "${command}"`);
}

/**
 * db:backup / db:restore: PostgreSQL only. The embedded database is a directory: stop the server
 * and copy PGLITE_DATA_DIR instead (the message says so). Nothing printed carries a password.
 */
// parseArgs gives boolean flags (--force) as `true`, whatever the Flags type says.
async function runBackupCommand(
  command: "db:backup" | "db:restore",
  flags: Record<string, unknown>,
  usage: string,
): Promise<Record<string, unknown>> {
  const text = (name: string) => {
    const value = flags[name];
    return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
  };
  const url = text("database-url") ?? (command === "db:backup" ? env().DATABASE_URL : undefined);
  try {
    if (command === "db:backup") {
      const out = text("out");
      if (!out) throw new AppError("validation_failed", `--out is required. Usage: ${usage}`);
      if (!url)
        throw new AppError(
          "validation_failed",
          "db:backup needs PostgreSQL (DATABASE_URL or --database-url). The embedded PGlite database is a directory: stop the server and copy PGLITE_DATA_DIR (default .data/pglite) to back it up.",
        );
      return await backupDatabase(url, out);
    }
    const file = text("file");
    if (!file || !url)
      throw new AppError("validation_failed", `--file and --database-url are required. Usage: ${usage}`);
    return await restoreDatabase(file, url, { force: flags.force === true });
  } catch (error) {
    if (error instanceof BackupError)
      throw new AppError(
        error.kind === "invalid" ? "validation_failed" : error.kind === "conflict" ? "conflict" : "internal",
        error.message,
      );
    if (error instanceof AppError) throw error;
    // Anything else (a driver error) may quote the URL: never let the password through.
    throw new AppError("internal", redactSecrets(error instanceof Error ? error.message : String(error), url));
  }
}

/**
 * A scheduled function's body, once, here and now (no Inngest server): it goes through the same
 * SDK execution engine and run-tracking middleware as a scheduled run, recorded with trigger `cli`.
 */
async function runScheduledFunction(positionals: string[], usage: string) {
  const scheduled = FUNCTIONS.map(describeFunction).filter((f) => f.scheduled);
  const [id] = positionals;
  const fn = FUNCTIONS.find((f) => f.opts.id === id);
  const described = fn ? describeFunction(fn) : null;
  if (positionals.length !== 1 || !fn || !described?.scheduled) {
    throw new AppError(
      "validation_failed",
      `Name one scheduled function: ${scheduled.map((f) => f.id).join(", ")}. Usage: ${usage}`,
    );
  }
  const run = await runFunctionLocally(fn, {
    event: { name: SCHEDULED_EVENT_NAME, data: { cron: described.cron } },
    trigger: "cli",
  });
  return { job_run_id: run.jobRunId, status: run.status, ...(run.error ? { error: run.error } : {}) };
}
