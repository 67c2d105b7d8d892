// Revisions: the immutable history of a Unit's Data, one per change (written by writeUnitData). The
// lists are in history-lists.ts.
import type { Kysely } from "kysely";
import { NotFoundError } from "./errors.ts";
import type { DatabaseSchema, RevisionRow } from "./schema.ts";
import type { UnitKey } from "./units.ts";

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
