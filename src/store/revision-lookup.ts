// Finding one Revision of a Unit by what a client names: its number, or the latest Revision the
// Unit wrote while it belonged to a ChangeSet (ConfigHub's `restore=ChangeSet:<id>`). Both are
// scoped to the Unit's organization and Space; a Revision that is not there is a NotFoundError.
import type { Kysely } from "kysely";
import { NotFoundError } from "./errors.ts";
import { findRevisionByNum } from "./history-lists.ts";
import type { DatabaseSchema, RevisionRow } from "./schema.ts";
import type { UnitKey } from "./units.ts";

function unitRevisions(db: Kysely<DatabaseSchema>, key: UnitKey) {
  return db
    .selectFrom("revisions")
    .selectAll()
    .where("organization_id", "=", key.organizationId)
    .where("space_id", "=", key.spaceId)
    .where("unit_id", "=", key.unitId);
}

/** The Unit's Revision `revisionNum`, or NotFoundError naming the number. */
export async function getRevisionByNum(
  db: Kysely<DatabaseSchema>,
  key: UnitKey,
  revisionNum: number,
): Promise<RevisionRow> {
  const revision = await findRevisionByNum(db, key, revisionNum);
  if (!revision) throw new NotFoundError("Revision", `number ${revisionNum} of Unit ${key.unitId}`);
  return revision;
}

/** The Unit's latest Revision written in the ChangeSet, or NotFoundError. */
export async function getLatestChangeSetRevision(
  db: Kysely<DatabaseSchema>,
  key: UnitKey,
  changeSetId: string,
): Promise<RevisionRow> {
  const revision = await unitRevisions(db, key)
    .where("change_set_id", "=", changeSetId)
    .orderBy("revision_num", "desc")
    .limit(1)
    .executeTakeFirst();
  if (!revision) {
    throw new NotFoundError("Revision", `of Unit ${key.unitId} in ChangeSet ${changeSetId}`);
  }
  return revision;
}
