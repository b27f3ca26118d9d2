import { dropOutdatedTemplates, migratedPgliteImage, migratedPostgresTemplate } from "./db";

/**
 * Builds the migrated database images once, before any test process starts, so the first test
 * files of every worker do not each build their own at the same time.
 */
export default async function setup() {
  await dropOutdatedTemplates(process.env.DATABASE_URL ?? "");
  await migratedPgliteImage();
  if (process.env.DATABASE_URL) await migratedPostgresTemplate(process.env.DATABASE_URL);
}
