import { defineConfig } from "drizzle-kit";

// Generates ONE migrations folder that both PGlite and PostgreSQL apply.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/index.ts",
  out: "./db/migrations",
});
