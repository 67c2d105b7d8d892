// vitest globalSetup: runs once per `vitest run`, in the main process.
// - Builds one migrated PGlite database and dumps it to a file. Test files load that dump
//   (about 0.3 s) instead of starting an empty PGlite and migrating it (several seconds): vitest
//   runs each test file in its own process, so this is how PGlite start-up is paid once per run.
// - Afterwards prints which databases the database tests actually ran on (test files leave a
//   marker per database they opened).
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PGliteDialect } from "kysely";
import type { TestProject } from "vitest/node";
import { migrateToLatest } from "../../src/store/migrate.ts";
import type { DatabaseSchema } from "../../src/store/schema.ts";
import { POSTGRES_URL_VARIABLE, describeTestPostgres } from "./test-postgres.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** File holding a dump of a freshly migrated PGlite database. */
    confnPgliteSnapshot: string;
    /** Directory where test files record which databases they opened. */
    confnDatabaseMarkers: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const workDir = join(tmpdir(), `confn-vitest-${process.pid}-${Date.now()}`);
  const markers = join(workDir, "markers");
  mkdirSync(markers, { recursive: true });

  const pglite = new PGlite();
  const db = new Kysely<DatabaseSchema>({ dialect: new PGliteDialect({ pglite }) });
  await migrateToLatest({
    db,
    dialect: "pglite",
    description: "snapshot",
    schema: undefined,
    close: () => db.destroy(),
  });
  const dump = await pglite.dumpDataDir("none");
  await db.destroy();
  const snapshot = join(workDir, "pglite-migrated.tar");
  writeFileSync(snapshot, new Uint8Array(await dump.arrayBuffer()));

  project.provide("confnPgliteSnapshot", snapshot);
  project.provide("confnDatabaseMarkers", markers);

  return () => {
    const opened = readdirSync(markers);
    const count = (name: string) => opened.filter((m) => m.startsWith(`${name}-`)).length;
    const lines = [`PGlite (${count("PGlite")} test files)`];
    if (process.env[POSTGRES_URL_VARIABLE]) {
      lines.push(`${describeTestPostgres()} (${count("PostgreSQL")} test files)`);
    } else {
      lines.push(`PostgreSQL skipped: ${POSTGRES_URL_VARIABLE} is not set`);
    }
    console.log(`\ndatabase tests ran on: ${lines.join("; ")}`);
    rmSync(workDir, { recursive: true, force: true });
  };
}
