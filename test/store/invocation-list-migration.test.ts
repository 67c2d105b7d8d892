// Migration 0003: Invocations saved before lists existed become one-call lists, with their Hash
// unchanged (a list of one call hashes as that call), so they run and read back as before.
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { Migrator } from "kysely";
import { describe, expect, it } from "vitest";
import { migrations } from "../../migrations/index.ts";
import { MEMORY_DATA_DIR } from "../../src/store/database-config.ts";
import { openDatabase } from "../../src/store/database.ts";
import { invocationHash } from "../../src/store/invocations.ts";
import { migrateToLatest } from "../../src/store/migrate.ts";

describe("migration 0003_invocation_function_list", () => {
  it("turns every existing Invocation into a one-call list and keeps its Hash", async () => {
    const database = await openDatabase({ kind: "pglite", dataDir: MEMORY_DATA_DIR });
    try {
      const migrator = new Migrator({ db: database.db, provider: { getMigrations: async () => migrations } });
      const to0002 = await migrator.migrateTo("0002_saved_entities");
      expect(to0002.error).toBeUndefined();
      const organizationId = randomUUID();
      const spaceId = randomUUID();
      const invocationId = randomUUID();
      // The schema as of 0002: no function_invocations column yet.
      const db = database.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
      await db.insertInto("organizations").values({ organization_id: organizationId, slug: "o" }).execute();
      await db
        .insertInto("spaces")
        .values({ space_id: spaceId, organization_id: organizationId, slug: "s" })
        .execute();
      const args = [{ Value: "team" }, { Value: "core" }];
      const oldHash = invocationHash([{ FunctionName: "set-label", Arguments: args }]);
      await db
        .insertInto("invocations")
        .values({
          invocation_id: invocationId,
          organization_id: organizationId,
          space_id: spaceId,
          slug: "label",
          function_name: "set-label",
          arguments: JSON.stringify(args),
          toolchain_type: "Kubernetes/YAML",
          hash: oldHash,
        })
        .execute();

      expect((await migrateToLatest(database)).applied).toContain("0003_invocation_function_list");
      const row = await database.db
        .selectFrom("invocations")
        .selectAll()
        .where("invocation_id", "=", invocationId)
        .executeTakeFirstOrThrow();
      expect(row.function_invocations).toEqual([{ FunctionName: "set-label", Arguments: args }]);
      expect(row.function_name).toBe("set-label");
      expect(invocationHash(row.function_invocations)).toBe(oldHash);
    } finally {
      await database.close();
    }
  });
});
