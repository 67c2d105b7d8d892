// Migration 0008: a Mutation's ResourceMutationList and FunctionInvocation list become json; rows
// written before keep their values, and going back to 0007 gives jsonb with the same values.
import { Migrator, sql } from "kysely";
import { describe, expect, it } from "vitest";
import { migrations } from "../../migrations/index.ts";
import { MEMORY_DATA_DIR } from "../../src/store/database-config.ts";
import { openDatabase } from "../../src/store/database.ts";
import { listUnitMutations } from "../../src/store/history-lists.ts";
import { migrateToLatest } from "../../src/store/migrate.ts";
import { inTransaction } from "../../src/store/transaction.ts";
import { writeUnitData } from "../../src/store/unit-data-write.ts";
import { createUnit } from "../../src/store/units.ts";
import { createTestOrganization, createTestSpace, plainUnitAttributes } from "../support/databases.ts";

const INVOCATIONS = [{ FunctionName: "set-image", Arguments: [{ Value: "web" }, { Value: "nginx:1.27" }] }];
const RESOURCE_MUTATIONS = [
  { Resource: { ResourceName: "default/web", ResourceType: "apps/v1/Deployment" }, Aliases: { é: 1 } },
];

describe("migration 0008_mutation_records_json", () => {
  it("keeps every Mutation's lists, as json after it and as jsonb before it", async () => {
    const database = await openDatabase({ kind: "pglite", dataDir: MEMORY_DATA_DIR });
    try {
      const migrator = new Migrator({ db: database.db, provider: { getMigrations: async () => migrations } });
      expect((await migrator.migrateTo("0007_units_fillfactor")).error).toBeUndefined();
      const { organizationId } = await createTestOrganization(database.db);
      const space = await createTestSpace(database.db, organizationId);
      const attributes = plainUnitAttributes("web");
      const { unit } = await createUnit(
        database.db,
        organizationId,
        space.space_id,
        { toolchainType: "Kubernetes/YAML", data: "a: 1\n", attributes },
        { userId: null, userAgent: "test" },
      );
      await inTransaction(database.db, (trx) =>
        writeUnitData(trx, {
          organizationId,
          unitId: unit.unit_id,
          toolchainType: "Kubernetes/YAML",
          data: "a: 2\n",
          source: "Invoke",
          description: "a: 2",
          functionInvocations: INVOCATIONS,
          resourceMutations: RESOURCE_MUTATIONS,
          invocationId: null,
        }),
      );
      const key = { organizationId, spaceId: space.space_id, unitId: unit.unit_id };
      const lists = async () =>
        (await listUnitMutations(database.db, key)).map((m) => [
          m.function_invocations,
          m.resource_mutations,
        ]);
      const before = await lists();
      expect(before[1]).toEqual([INVOCATIONS, RESOURCE_MUTATIONS]);
      const types = async () =>
        (
          await sql<{ column_name: string; data_type: string }>`
            select column_name, data_type from information_schema.columns
            where table_name = 'mutations' and column_name in ('resource_mutations', 'function_invocations')
            order by column_name`.execute(database.db)
        ).rows.map((r) => `${r.column_name} ${r.data_type}`);
      expect(await types()).toEqual(["function_invocations jsonb", "resource_mutations jsonb"]);

      expect((await migrateToLatest(database)).applied).toContain("0008_mutation_records_json");
      expect(await types()).toEqual(["function_invocations json", "resource_mutations json"]);
      expect(await lists()).toEqual(before);

      expect((await migrator.migrateTo("0007_units_fillfactor")).error).toBeUndefined();
      expect(await types()).toEqual(["function_invocations jsonb", "resource_mutations jsonb"]);
      expect(await lists()).toEqual(before);
    } finally {
      await database.close();
    }
  });
});
