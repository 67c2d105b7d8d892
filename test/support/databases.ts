// The databases every database test runs on: PGlite always, PostgreSQL too when
// CONFN_TEST_DATABASE_URL is set. Use with describe.each:
//
//   const databases = testDatabases();
//   describe.each(databases)("spaces on $name", (target) => {
//     let database: Database;
//     beforeAll(async () => { database = await target.open(); });
//     beforeEach(async () => { org = await createTestOrganization(database.db); });
//   });
//
// Each test file gets one migrated database per kind, opened on first use and closed after the
// file's tests: PGlite in memory, loaded from the snapshot the global setup dumped; PostgreSQL in
// a fresh schema (search_path) that is dropped afterwards, so parallel workers and repeated runs
// never see each other's rows. Within a file, isolate tests by organization (every query is
// organization-scoped): createTestOrganization() makes a fresh one with a token per role.
import { randomBytes } from "node:crypto";
import { existsSync, openAsBlob, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, inject } from "vitest";
import { MEMORY_DATA_DIR } from "../../src/store/database-config.ts";
import { openDatabase, type Database } from "../../src/store/database.ts";
import { migrateToLatest } from "../../src/store/migrate.ts";
import { createOrganization } from "../../src/store/organizations.ts";
import type { DatabaseSchema, OrganizationRow, Role, SpaceRow } from "../../src/store/schema.ts";
import { createSpace } from "../../src/store/spaces.ts";
import type { UnitAttributes } from "../../src/store/units.ts";
import { createApiToken } from "../../src/store/tokens.ts";
import type { Kysely } from "kysely";
import { testPostgresUrl } from "./test-postgres.ts";

export type TestDatabaseName = "PGlite" | "PostgreSQL";

/** Generous: on a loaded two-core machine the snapshot takes seconds to build. */
const SNAPSHOT_WAIT_MS = 180_000;

export interface TestDatabase {
  readonly name: TestDatabaseName;
  /** This file's migrated database of this kind (the same handle on every call). */
  open(): Promise<Database>;
}

const opened = new Map<TestDatabaseName, Promise<Database>>();
let closeRegistered = false;

/** The databases to run on. Call it at collection time (top level or inside describe). */
export function testDatabases(): readonly TestDatabase[] {
  if (!closeRegistered) {
    closeRegistered = true;
    afterAll(closeTestDatabases);
  }
  const list: TestDatabase[] = [{ name: "PGlite", open: () => openOnce("PGlite", openTestPGlite) }];
  const url = testPostgresUrl();
  if (url) list.push({ name: "PostgreSQL", open: () => openOnce("PostgreSQL", () => openTestPostgres(url)) });
  return list;
}

function openOnce(name: TestDatabaseName, open: () => Promise<Database>): Promise<Database> {
  let database = opened.get(name);
  if (!database) {
    database = open();
    opened.set(name, database);
    recordMarker(name);
  }
  return database;
}

async function closeTestDatabases(): Promise<void> {
  const all = [...opened.values()];
  opened.clear();
  for (const pending of all) {
    const database = await pending.catch(() => undefined);
    if (!database) continue;
    if (database.dialect === "postgres" && database.schema) {
      await database.db.schema.dropSchema(database.schema).ifExists().cascade().execute();
    }
    await database.close();
  }
}

async function openTestPGlite(): Promise<Database> {
  const snapshot = injected("confnPgliteSnapshot");
  if (snapshot) {
    await waitForSnapshot(snapshot);
    return openDatabase(
      { kind: "pglite", dataDir: MEMORY_DATA_DIR },
      { loadDataDir: await openAsBlob(snapshot) },
    );
  }
  // No global setup (a single file run with another config): start empty and migrate.
  const database = await openDatabase({ kind: "pglite", dataDir: MEMORY_DATA_DIR });
  await migrateToLatest(database);
  return database;
}

/** The global setup builds the snapshot in the background: wait for it (or for its failure). */
async function waitForSnapshot(snapshot: string): Promise<void> {
  const deadline = Date.now() + SNAPSHOT_WAIT_MS;
  while (!existsSync(snapshot)) {
    if (existsSync(`${snapshot}.failed`)) {
      throw new Error(
        `building the PGlite test snapshot failed:\n${readFileSync(`${snapshot}.failed`, "utf8")}`,
      );
    }
    if (Date.now() > deadline) throw new Error(`the PGlite test snapshot ${snapshot} did not appear in time`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function openTestPostgres(url: string): Promise<Database> {
  for (let attempt = 1; ; attempt++) {
    const schema = `confn_test_${process.pid}_${randomBytes(6).toString("hex")}`;
    const database = await openDatabase({ kind: "postgres", url, schema, poolSize: 4 });
    try {
      await migrateToLatest(database);
      return database;
    } catch (error) {
      await database.db.schema.dropSchema(schema).ifExists().cascade().execute();
      await database.close();
      if (attempt >= 3 || !isSchemaDroppedMeanwhile(error)) throw error;
    }
  }
}

// kysely's Migrator looks for its table with a query over every schema of the database, which calls
// has_schema_privilege(name) per schema: when another test file drops its schema at that moment the
// lookup fails with "schema ... does not exist" (SQLSTATE 3F000), or, when the drop is halfway
// through, "relation ... does not exist" (42P01) for a table of that other schema. A race between
// test files sharing one database, never a fault of the code under test: try again with a new
// schema (a migration that really names a missing table fails all three attempts).
function isSchemaDroppedMeanwhile(error: unknown): boolean {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return cause?.code === "3F000" || cause?.code === "42P01";
}

function injected(key: "confnPgliteSnapshot" | "confnDatabaseMarkers"): string | undefined {
  try {
    return inject(key) || undefined;
  } catch {
    return undefined;
  }
}

function recordMarker(name: TestDatabaseName): void {
  const markers = injected("confnDatabaseMarkers");
  if (markers) writeFileSync(join(markers, `${name}-${process.pid}-${randomBytes(4).toString("hex")}`), "");
}

export interface TestOrganization {
  readonly organization: OrganizationRow;
  readonly organizationId: string;
  /** A bearer token of each role for this organization. */
  readonly tokens: Readonly<Record<Role, string>>;
}

/** A fresh organization (unique slug) with one token per role: the unit of test isolation. */
export async function createTestOrganization(
  db: Kysely<DatabaseSchema>,
  prefix = "test",
): Promise<TestOrganization> {
  const organization = await createOrganization(db, { slug: `${prefix}-${randomBytes(6).toString("hex")}` });
  const organizationId = organization.organization_id;
  const issue = async (role: Role) => (await createApiToken(db, { organizationId, role })).token;
  return {
    organization,
    organizationId,
    tokens: { admin: await issue("admin"), editor: await issue("editor"), viewer: await issue("viewer") },
  };
}

/** A Space named `slug` with no labels, annotations or gates. */
export function createTestSpace(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  slug = "prod",
): Promise<SpaceRow> {
  return createSpace(db, organizationId, {
    slug,
    displayName: slug,
    labels: {},
    annotations: {},
    deleteGates: {},
  });
}

/** A Unit's attributes with nothing set but its slug (its display name too). */
export function plainUnitAttributes(slug: string): UnitAttributes {
  return {
    slug,
    displayName: slug,
    labels: {},
    annotations: {},
    deleteGates: {},
    destroyGates: {},
    lastChangeDescription: "",
  };
}

export { buildTestApp, b64, fromB64, type TestApp, type TestRequest } from "./test-app.ts";
