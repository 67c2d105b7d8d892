// vitest globalSetup: runs once per `vitest run`, in the main process.
// - Builds one migrated PGlite database and dumps it to a file, in the background. Test files load
//   that dump (about 0.3 s) instead of starting an empty PGlite and migrating it (several
//   seconds): vitest runs each test file in its own process, so this is how PGlite start-up is
//   paid once per run.
// - Afterwards prints which databases the database tests actually ran on (test files leave a
//   marker per database they opened).
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely } from "kysely";
import { PGliteDialect } from "../../src/store/pglite-dialect.ts";
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

export default function setup(project: TestProject): () => Promise<void> {
  const workDir = join(tmpdir(), `confn-vitest-${process.pid}-${Date.now()}`);
  const markers = join(workDir, "markers");
  mkdirSync(markers, { recursive: true });
  const snapshot = join(workDir, "pglite-migrated.tar");
  project.provide("confnPgliteSnapshot", snapshot);
  project.provide("confnDatabaseMarkers", markers);

  // Built in the background, so runs without database tests do not wait for it; test files that
  // need it wait for the file (or its .failed twin) to appear.
  const building = buildSnapshot(snapshot).catch((error: unknown) => {
    writeFileSync(
      `${snapshot}.failed`,
      error instanceof Error ? (error.stack ?? error.message) : String(error),
    );
  });

  return async () => {
    await building;
    const opened = readdirSync(markers);
    if (opened.length > 0) {
      const count = (name: string) => opened.filter((m) => m.startsWith(`${name}-`)).length;
      const lines = [`PGlite (${count("PGlite")} test files)`];
      if (process.env[POSTGRES_URL_VARIABLE]) {
        lines.push(`${describeTestPostgres()} (${count("PostgreSQL")} test files)`);
      } else {
        lines.push(`PostgreSQL skipped: ${POSTGRES_URL_VARIABLE} is not set`);
      }
      console.log(`\ndatabase tests ran on: ${lines.join("; ")}`);
    }
    rmSync(workDir, { recursive: true, force: true });
  };
}

async function buildSnapshot(file: string): Promise<void> {
  const pglite = new PGlite();
  const db = new Kysely<DatabaseSchema>({ dialect: new PGliteDialect(pglite) });
  try {
    await migrateToLatest({
      db,
      dialect: "pglite",
      description: "snapshot",
      schema: undefined,
      close: () => db.destroy(),
    });
    const dump = await pglite.dumpDataDir("none");
    // Write then rename: a reader never sees half a file.
    writeFileSync(`${file}.partial`, new Uint8Array(await dump.arrayBuffer()));
    renameSync(`${file}.partial`, file);
  } finally {
    await db.destroy();
  }
}
