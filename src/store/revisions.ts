// Revisions: the immutable history of a Unit's Data, one per change (written by writeUnitData).
import type { Kysely } from "kysely";
import { NotFoundError } from "./errors.ts";
import type { DatabaseSchema, RevisionRow } from "./schema.ts";
import { assertUnitExists, type UnitKey } from "./units.ts";

/** The Unit's Revisions, oldest first. NotFoundError when the Unit is not in that Space and organization. */
export async function listRevisions(db: Kysely<DatabaseSchema>, key: UnitKey): Promise<RevisionRow[]> {
  await assertUnitExists(db, key);
  return db
    .selectFrom("revisions")
    .selectAll()
    .where("organization_id", "=", key.organizationId)
    .where("unit_id", "=", key.unitId)
    .orderBy("revision_num")
    .execute();
}

export async function getRevision(
  db: Kysely<DatabaseSchema>,
  key: UnitKey,
  revisionId: string,
): Promise<RevisionRow> {
  const revision = await db
    .selectFrom("revisions")
    .selectAll()
    .where("organization_id", "=", key.organizationId)
    .where("space_id", "=", key.spaceId)
    .where("unit_id", "=", key.unitId)
    .where("revision_id", "=", revisionId)
    .executeTakeFirst();
  if (!revision) throw new NotFoundError("Revision", revisionId);
  return revision;
}
