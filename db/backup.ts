import { spawn } from "node:child_process";
import fs from "node:fs";
import pg from "pg";

/**
 * Backups of a PostgreSQL database with the standard tools: `pg_dump --format=custom` and
 * `pg_restore` into an empty database. The password never goes on a command line (where `ps`
 * shows it) nor into a message: it is handed to the tools as PGPASSWORD and cut out of every
 * URL and tool output we print.
 */

export class BackupError extends Error {
  constructor(
    message: string,
    readonly kind: "invalid" | "conflict" | "failed",
  ) {
    super(message);
    this.name = "BackupError";
  }
}

/** A URL safe to print: `postgres://user@host:port/db` (no password, no query string). */
export function redactDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.username ? `${decodeURIComponent(u.username)}@` : ""}${u.host}${u.pathname}`;
  } catch {
    return "<unparseable database URL>";
  }
}

/** Removes the password (raw and URL-encoded) and any `scheme://user:secret@` from text. */
export function redactSecrets(text: string, url?: string): string {
  let out = text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):[^@\s]*@/gi, "$1:<redacted>@");
  if (url) {
    try {
      const password = new URL(url).password;
      if (password) {
        for (const form of new Set([password, decodeURIComponent(password)])) out = out.split(form).join("<redacted>");
      }
    } catch {
      // Not a URL: nothing more to cut.
    }
  }
  return out;
}

/** Connection for the command-line tools: the URL without its password, which goes in PGPASSWORD. */
function toolConnection(url: string) {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new BackupError("The database URL is not a valid URL.", "invalid");
  }
  if (u.protocol !== "postgres:" && u.protocol !== "postgresql:")
    throw new BackupError(`Backups need a PostgreSQL URL (postgres://…), not ${u.protocol}//.`, "invalid");
  const password = decodeURIComponent(u.password);
  u.password = "";
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.PGPASSWORD;
  if (password) env.PGPASSWORD = password;
  return { dbname: u.toString(), env };
}

function run(tool: string, args: string[], env: NodeJS.ProcessEnv, url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.on("error", (error) =>
      reject(
        new BackupError(
          `${tool} could not be started (${(error as NodeJS.ErrnoException).code ?? error.message}); install the PostgreSQL client tools.`,
          "failed",
        ),
      ),
    );
    child.on("close", (code) => {
      if (code === 0) return resolve();
      reject(
        new BackupError(`${tool} failed (exit ${code}): ${redactSecrets(stderr.trim(), url).slice(0, 2000)}`, "failed"),
      );
    });
  });
}

/**
 * Every tenant table forces row-level security, which holds even its owner: a dump would stop
 * at the first one, and a restore's COPY would be refused. Say so up front, with the fix.
 */
async function assertRowSecurityDoesNotHold(url: string, tool: string) {
  const seesEveryRow = await withClient(url, async (client) => {
    const { rows } = await client.query<{ ok: boolean }>(
      "select rolsuper or rolbypassrls as ok from pg_roles where rolname = current_user",
    );
    return rows[0]?.ok === true;
  });
  if (!seesEveryRow)
    throw new BackupError(
      `${tool} needs a user that row-level security does not hold (tenant tables force it, even for their owner): connect as a superuser or a role with BYPASSRLS (CREATE ROLE beacon_backup LOGIN BYPASSRLS, granted read on the tables).`,
      "invalid",
    );
}

/** `pg_dump --format=custom` of the database at `url` into `out`. */
export async function backupDatabase(url: string, out: string) {
  const { dbname, env } = toolConnection(url);
  if (fs.existsSync(out))
    throw new BackupError(
      `${out} already exists; choose another --out (a backup never overwrites a file).`,
      "conflict",
    );
  await assertRowSecurityDoesNotHold(url, "A backup");
  await run("pg_dump", ["--format=custom", "--no-password", `--file=${out}`, `--dbname=${dbname}`], env, url);
  return { file: out, bytes: fs.statSync(out).size, database: redactDatabaseUrl(url) };
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    throw new BackupError(
      `Cannot connect to ${redactDatabaseUrl(url)}: ${redactSecrets(error instanceof Error ? error.message : String(error), url)}`,
      "failed",
    );
  }
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Tables, views and sequences outside PostgreSQL's own schemas: what makes a database non-empty. */
export async function userRelationCount(url: string): Promise<number> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ n: number }>(
      `select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
         and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%' and n.nspname not like 'pg_temp%'`,
    );
    return rows[0]!.n;
  });
}

/**
 * Restores a `db:backup` file into the database at `url`, which must exist and be empty
 * (`createdb NAME`) unless `force` (then what the backup holds is dropped and recreated first).
 * One transaction: a restore that fails leaves the target as it was.
 */
export async function restoreDatabase(file: string, url: string, options: { force?: boolean } = {}) {
  if (!fs.existsSync(file)) throw new BackupError(`No backup file at ${file}.`, "invalid");
  const { dbname, env } = toolConnection(url);
  const relations = await userRelationCount(url);
  if (relations > 0 && !options.force) {
    throw new BackupError(
      `${redactDatabaseUrl(url)} is not empty (${relations} tables, views or sequences). Restore into a fresh database (createdb), or pass --force to replace what the backup holds.`,
      "conflict",
    );
  }
  await assertRowSecurityDoesNotHold(url, "A restore");
  // Roles are cluster-wide and not in a dump: the roles the row-level security policies and
  // grants name must exist first (as migrations 0000 and 0025 create them).
  await withClient(url, async (client) => {
    for (const role of ["beacon_tenant", "beacon_system", "beacon_app"]) {
      await client.query(`DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN CREATE ROLE ${role} NOLOGIN NOBYPASSRLS; END IF;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`);
      await client.query(
        `DO $$ BEGIN EXECUTE format('GRANT ${role} TO %I', current_user); EXCEPTION WHEN others THEN NULL; END $$`,
      );
    }
  });
  const args = ["--no-password", "--no-owner", "--single-transaction", "--exit-on-error", `--dbname=${dbname}`];
  if (options.force) args.push("--clean", "--if-exists");
  await run("pg_restore", [...args, file], env, url);
  return { file, database: redactDatabaseUrl(url), relations: await userRelationCount(url) };
}
