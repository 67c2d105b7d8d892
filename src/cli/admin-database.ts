// Opens the configured database for a one-shot admin command (migrate, org, token), applies
// pending migrations, runs `work` and closes it again, so the command leaves no lock behind.
import {
  databaseConfigFromEnv,
  openDatabase,
  type Database,
  migrateToLatest,
  type MigrationSummary,
} from "../store/index.ts";

export async function withAdminDatabase<T>(
  work: (database: Database, migrations: MigrationSummary) => Promise<T>,
): Promise<T> {
  const database = await openDatabase(databaseConfigFromEnv());
  try {
    const migrations = await migrateToLatest(database);
    return await work(database, migrations);
  } finally {
    await database.close();
  }
}
