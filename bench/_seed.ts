// Bulk seeding for the benchmarks: Units with Revision 1 each, inserted a chunk per transaction
// (seeding is not what is measured, so it bypasses the API and the write path).
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import type { Insertable } from "kysely";
import pg from "pg";
import { bootstrapDefaultOrganization } from "../src/store/bootstrap.ts";
import { openDatabase, type Database } from "../src/store/database.ts";
import { json } from "../src/store/json.ts";
import { migrateToLatest } from "../src/store/migrate.ts";
import type { UnitsTable } from "../src/store/schema.ts";
import { createSpace } from "../src/store/spaces.ts";
import { inTransaction } from "../src/store/transaction.ts";
import { unitDataColumns } from "../src/store/unit-data-columns.ts";

type UnitInsert = Insertable<UnitsTable> & { data: string; data_hash: string; content_hash: number };

const TOOLCHAIN = "Kubernetes/YAML";

/** One Unit to seed: its Space, slug, data and labels. */
export interface SeedUnit {
  readonly spaceId: string;
  readonly slug: string;
  readonly data: string;
  readonly labels?: Record<string, string>;
}

/** Inserts the Units (slug = display name) and their Revision 1 in one transaction. */
export async function insertUnits(
  database: Database,
  organizationId: string,
  units: readonly SeedUnit[],
): Promise<void> {
  const rows: UnitInsert[] = units.map((unit) => ({
    unit_id: randomUUID(),
    organization_id: organizationId,
    space_id: unit.spaceId,
    slug: unit.slug,
    display_name: unit.slug,
    labels: json(unit.labels ?? {}),
    annotations: json({}),
    toolchain_type: TOOLCHAIN,
    // The data columns as every write sets them (data_json included: where_data's pre-filter reads it).
    ...unitDataColumns(unit.data, TOOLCHAIN),
    head_revision_num: 1,
  }));
  const revisions = rows.map((row) => ({
    revision_id: randomUUID(),
    organization_id: row.organization_id,
    space_id: row.space_id,
    unit_id: row.unit_id,
    revision_num: 1,
    data: row.data,
    data_hash: row.data_hash,
    content_hash: row.content_hash,
    source: "CreateUnit",
  }));
  await inTransaction(database.db, async (trx) => {
    await trx.insertInto("units").values(rows).execute();
    await trx.insertInto("revisions").values(revisions).execute();
  });
}

/** Where a benchmark's server keeps its data, and how to remove what was made for it. */
export interface BenchDatabase {
  /** The server's environment for this database. */
  readonly env: NodeJS.ProcessEnv;
  /** Opened for seeding; the benchmark closes it before its server starts. */
  readonly database: Database;
  /** Drops the scratch PostgreSQL database, if one was made. */
  readonly drop: () => Promise<void>;
}

/**
 * PGlite under `work`, or, with a PostgreSQL URL, a scratch database of its own on that server
 * (named `name`), dropped by `drop()` afterwards.
 */
export async function openBenchDatabase(
  work: string,
  postgres: string | undefined,
  name: string,
): Promise<BenchDatabase> {
  if (!postgres) {
    const database = await openDatabase({ kind: "pglite", dataDir: join(work, "data") });
    return { env: { CONFN_DATA_DIR: join(work, "data") }, database, drop: async () => {} };
  }
  const admin = new pg.Client({ connectionString: postgres });
  await admin.connect();
  const drop = async () => {
    await admin.query(`drop database if exists ${name}`);
    await admin.end();
  };
  try {
    await admin.query(`create database ${name}`);
    const url = new URL(postgres);
    url.pathname = `/${name}`;
    const database = await openDatabase({ kind: "postgres", url: url.toString() });
    const env = { DATABASE_URL: url.toString(), CONFN_ADMIN_TOKEN_FILE: join(work, "admin-token") };
    return { env, database, drop };
  } catch (error) {
    await drop();
    throw error;
  }
}

/** The organization a benchmark seeds into: its ID, admin token and Spaces (slugs `bench-0`, ...). */
export interface SeededOrganization {
  readonly organizationId: string;
  readonly adminToken: string;
  readonly spaceIds: string[];
}

/** Migrates an empty database, bootstraps its organization and creates `spaces` Spaces in it. */
export async function seedOrganization(
  database: Database,
  bench: string,
  spaces: number,
): Promise<SeededOrganization> {
  await migrateToLatest(database);
  const bootstrapped = await bootstrapDefaultOrganization(database.db);
  if (!bootstrapped) throw new Error(`bench ${bench}: the database is not empty`);
  const organizationId = bootstrapped.organization.organization_id;
  const spaceIds: string[] = [];
  for (let s = 0; s < spaces; s++) {
    const slug = `bench-${s}`;
    const attributes = { slug, displayName: slug, labels: {}, annotations: {}, deleteGates: {} };
    spaceIds.push((await createSpace(database.db, organizationId, attributes)).space_id);
  }
  return { organizationId, adminToken: bootstrapped.adminToken, spaceIds };
}
