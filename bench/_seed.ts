// Bulk seeding for the benchmarks: Units with Revision 1 each, inserted a chunk per transaction
// (seeding is not what is measured, so it bypasses the API and the write path).
import { randomUUID } from "node:crypto";
import type { Insertable } from "kysely";
import type { Database } from "../src/store/database.ts";
import { contentHash, dataHash } from "../src/store/hashes.ts";
import { json } from "../src/store/json.ts";
import type { UnitsTable } from "../src/store/schema.ts";
import { inTransaction } from "../src/store/transaction.ts";

type UnitInsert = Insertable<UnitsTable> & { data: string; data_hash: string; content_hash: number };

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
    toolchain_type: "Kubernetes/YAML",
    data: unit.data,
    data_hash: dataHash(unit.data),
    content_hash: contentHash(unit.data),
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
