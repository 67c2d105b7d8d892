// The embedded database's planner statistics (PGlite runs no autovacuum): a table that grew since
// its last ANALYZE is analyzed again, one that did not is left alone, and with fresh statistics an
// invocation's keyset-paginated Unit read walks the index in order instead of reading and sorting
// every remaining Unit of the organization for each batch.
import { randomUUID } from "node:crypto";
import { sql, type Kysely } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { json } from "../../src/store/json.ts";
import { refreshStatistics, startStatisticsUpkeep } from "../../src/store/pglite-statistics.ts";
import type { DatabaseSchema } from "../../src/store/schema.ts";
import { createSpace } from "../../src/store/spaces.ts";
import { unitDataColumns } from "../../src/store/unit-data-columns.ts";
import { createTestOrganization, testDatabases } from "../support/databases.ts";

const UNITS = 2000;
const NIL_UUID = "00000000-0000-0000-0000-000000000000";

describe("planner statistics on the embedded database", () => {
  const pglite = testDatabases().find((d) => d.name === "PGlite")!;
  let db: Kysely<DatabaseSchema>;
  let organizationId: string;

  beforeAll(async () => {
    db = (await pglite.open()).db;
    organizationId = (await createTestOrganization(db, "statistics")).organizationId;
    const attributes = { slug: "many", displayName: "many", labels: {}, annotations: {}, deleteGates: {} };
    const spaceId = (await createSpace(db, organizationId, attributes)).space_id;
    // Analyzed while small: what the planner knows before the organization grows.
    await sql`analyze units`.execute(db);
    for (let start = 0; start < UNITS; start += 500) {
      const rows = Array.from({ length: 500 }, (_, i) => {
        const data = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${start + i}\ndata:\n  n: "${i}"\n`;
        return {
          unit_id: randomUUID(),
          organization_id: organizationId,
          space_id: spaceId,
          slug: `cm-${start + i}`,
          toolchain_type: "Kubernetes/YAML",
          labels: json({}),
          annotations: json({}),
          ...unitDataColumns(data, "Kubernetes/YAML"),
        };
      });
      await db.insertInto("units").values(rows).execute();
    }
  });

  const units = async () =>
    (
      await sql<{
        reltuples: number;
      }>`select reltuples::float8 as reltuples from pg_class where relname = 'units'`.execute(db)
    ).rows[0]!.reltuples;

  it("analyzes a table that grew, and only then", async () => {
    expect(await units()).toBeLessThan(100);
    expect(await refreshStatistics(db)).toContain("units");
    expect(await units()).toBeGreaterThanOrEqual(UNITS);
    expect(await refreshStatistics(db)).not.toContain("units");
  });

  it("lets an organization-wide read take its Units in index order, a batch at a time", async () => {
    // The first batch (after the nil UUID): every Unit of the organization still to come.
    const plan = await sql<{ "QUERY PLAN": string }>`
      explain select units.unit_id, units.data from units
      where units.organization_id = ${organizationId} and units.unit_id > ${NIL_UUID}
        and (units.data_json is null or jsonb_path_exists(units.data_json, '$.kind', '{}'::jsonb, true))
      order by units.unit_id limit 100`.execute(db);
    const text = plan.rows.map((row) => row["QUERY PLAN"]).join("\n");
    expect(text).toMatch(/Index Scan using units_org_idx/);
    expect(text).not.toMatch(/Sort/);
  });

  it("checks at start and on a timer that never keeps the process alive, until stopped", async () => {
    const errors: unknown[] = [];
    const upkeep = startStatisticsUpkeep(db, (error) => errors.push(error), 60_000);
    expect(await upkeep.started).toEqual([]);
    await upkeep.stop();
    expect(errors).toEqual([]);
  });
});
