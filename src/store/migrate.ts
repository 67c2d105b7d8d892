// Applies migrations/ (the static list in migrations/index.ts) with kysely's Migrator. Run on
// every start and by `confn migrate`; on PostgreSQL the Migrator's advisory lock keeps several
// servers starting at once from racing.
import { Migrator, type MigrationResult } from "kysely";
import { migrations } from "../../migrations/index.ts";
import type { Database } from "./database.ts";
import { MigrationError } from "./errors.ts";

export interface MigrationSummary {
  /** Migrations applied by this call, in order (empty when already up to date). */
  readonly applied: readonly string[];
}

export async function migrateToLatest(database: Database): Promise<MigrationSummary> {
  const migrator = new Migrator({
    db: database.db,
    provider: { getMigrations: async () => migrations },
    // Without it the Migrator would find a migration table in any schema of the database.
    ...(database.schema ? { migrationTableSchema: database.schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r: MigrationResult) => r.status === "Error");
    throw new MigrationError(failed?.migrationName, error);
  }
  return {
    applied: (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName),
  };
}
