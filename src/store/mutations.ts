// Mutations: the cause of each Revision (its source, the function invocations, the diff).
import type { Kysely } from "kysely";
import type { DatabaseSchema, MutationRow } from "./schema.ts";
import { assertUnitExists, type UnitKey } from "./units.ts";

/** The Unit's Mutations, oldest first. NotFoundError when the Unit is not in that Space and organization. */
export async function listMutations(db: Kysely<DatabaseSchema>, key: UnitKey): Promise<MutationRow[]> {
  await assertUnitExists(db, key);
  return db
    .selectFrom("mutations")
    .selectAll()
    .where("organization_id", "=", key.organizationId)
    .where("unit_id", "=", key.unitId)
    .orderBy("mutation_num")
    .execute();
}
