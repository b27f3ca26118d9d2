/**
 * `tsx scripts/e2e-database.ts create|drop NAME`: a throwaway PostgreSQL database for the
 * browser journeys, on the server DATABASE_URL points at. Prints the new URL on create.
 */
import pg from "pg";

const [action, name] = process.argv.slice(2);
const base = process.env.DATABASE_URL;
if (!base || !name || !/^[a-z0-9_]+$/.test(name) || (action !== "create" && action !== "drop")) {
  console.error("usage: DATABASE_URL=… tsx scripts/e2e-database.ts create|drop <name>");
  process.exit(2);
}
const client = new pg.Client({ connectionString: base });
await client.connect();
if (action === "create") {
  await client.query(`create database "${name}"`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  console.log(url.toString());
} else {
  await client.query(`drop database if exists "${name}" with (force)`);
}
await client.end();
