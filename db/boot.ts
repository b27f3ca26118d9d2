import { database } from "./client";
import { migrateDatabase } from "./migrate";
import { databaseIsEmpty, seedDatabase } from "./seed";
import { env, isProduction } from "@/lib/env";
import { logger } from "@/lib/observability";

/**
 * Server start: apply pending migrations and, on a fresh development database, seed demo data.
 * In production with DATABASE_URL, migrations run at deploy (`npm run cli -- db:migrate`)
 * unless AUTO_MIGRATE=true.
 */
export async function prepareDatabaseAtBoot() {
  const config = env();
  const handle = database();
  const autoMigrate = config.AUTO_MIGRATE
    ? config.AUTO_MIGRATE === "true"
    : !(isProduction(config) && config.DATABASE_URL);
  if (autoMigrate) {
    const { applied } = await migrateDatabase(handle);
    logger.info({ database: handle.label, applied }, "database migrated");
  }
  const seed = config.SEED_DEMO_DATA ? config.SEED_DEMO_DATA === "true" : !isProduction(config);
  if (seed && (await databaseIsEmpty(handle))) {
    const counts = await seedDatabase(handle);
    logger.info({ database: handle.label, ...counts }, "demo data seeded");
  }
}
