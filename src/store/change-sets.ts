// ChangeSets: a named group of changes across Units. A Unit joins one through Unit.ChangeSetID;
// while it is a member, writes to its data must name the set (`change_set_id`), and the Revisions
// they create carry it. Tags (StartTagID/EndTagID) are not implemented: they stay null.
import { randomUUID } from "node:crypto";
import { sql, type Expression, type Kysely, type SqlBool } from "kysely";
import {
  DeleteGatedError,
  DuplicateSlugError,
  NotFoundError,
  VersionConflictError,
  isUniqueViolation,
} from "./errors.ts";
import { json, sameMap } from "./json.ts";
import type { BoolMap, ChangeSetRow, DatabaseSchema, StringMap } from "./schema.ts";

export interface ChangeSetAttributes {
  readonly slug: string;
  readonly displayName: string;
  readonly labels: StringMap;
  readonly annotations: StringMap;
  readonly deleteGates: BoolMap;
  readonly description: string;
}

export interface ListChangeSetsOptions {
  /** Only this Space's ChangeSets; all of the organization's when omitted. */
  readonly spaceId?: string;
  /** Extra conditions AND-ed to the scope (a compiled `where` over the change_sets table). */
  readonly filters?: readonly Expression<SqlBool>[];
}

export async function listChangeSets(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  options: ListChangeSetsOptions = {},
): Promise<ChangeSetRow[]> {
  let query = db.selectFrom("change_sets").selectAll().where("organization_id", "=", organizationId);
  if (options.spaceId !== undefined) query = query.where("space_id", "=", options.spaceId);
  for (const filter of options.filters ?? []) query = query.where(filter);
  return query.orderBy("created_at").orderBy("change_set_id").execute();
}

/** The ChangeSet, found in the organization (and the Space, when given), or NotFoundError. */
export async function getChangeSet(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  changeSetId: string,
  spaceId?: string,
): Promise<ChangeSetRow> {
  let query = db
    .selectFrom("change_sets")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .where("change_set_id", "=", changeSetId);
  if (spaceId !== undefined) query = query.where("space_id", "=", spaceId);
  const row = await query.executeTakeFirst();
  if (!row) throw new NotFoundError("ChangeSet", changeSetId);
  return row;
}

export async function createChangeSet(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  spaceId: string,
  attributes: ChangeSetAttributes,
): Promise<ChangeSetRow> {
  try {
    return await db
      .insertInto("change_sets")
      .values({
        change_set_id: randomUUID(),
        organization_id: organizationId,
        space_id: spaceId,
        ...columns(attributes),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateSlugError("ChangeSet", attributes.slug, "this space");
    throw error;
  }
}

export interface ChangeSetModification {
  /** The Version the caller read, when it sent one. */
  readonly expectedVersion?: number;
  readonly attributes: ChangeSetAttributes;
}

/**
 * Reads the ChangeSet, lets `plan` decide its new attributes, and writes them with one Version
 * bump (none when nothing changed), in one transaction.
 */
export async function modifyChangeSet(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  spaceId: string,
  changeSetId: string,
  plan: (current: ChangeSetRow) => ChangeSetModification | Promise<ChangeSetModification>,
): Promise<ChangeSetRow> {
  let newSlug = "";
  try {
    return await db.transaction().execute(async (trx) => {
      const current = await trx
        .selectFrom("change_sets")
        .selectAll()
        .where("organization_id", "=", organizationId)
        .where("space_id", "=", spaceId)
        .where("change_set_id", "=", changeSetId)
        .forUpdate()
        .executeTakeFirst();
      if (!current) throw new NotFoundError("ChangeSet", changeSetId);
      const { expectedVersion, attributes } = await plan(current);
      newSlug = attributes.slug;
      if (expectedVersion !== undefined && expectedVersion !== current.version) {
        throw new VersionConflictError("ChangeSet", changeSetId, expectedVersion, current.version);
      }
      if (sameAttributes(current, attributes)) return current;
      return await trx
        .updateTable("change_sets")
        .set((eb) => ({
          ...columns(attributes),
          version: eb("version", "+", 1),
          updated_at: sql<Date>`now()`,
        }))
        .where("change_set_id", "=", changeSetId)
        .returningAll()
        .executeTakeFirstOrThrow();
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateSlugError("ChangeSet", newSlug, "this space");
    throw error;
  }
}

/** Deletes the ChangeSet; its member Units leave it (units.change_set_id is set to null). */
export async function deleteChangeSet(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  spaceId: string,
  changeSetId: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom("change_sets")
      .select(["change_set_id", "delete_gates"])
      .where("organization_id", "=", organizationId)
      .where("space_id", "=", spaceId)
      .where("change_set_id", "=", changeSetId)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw new NotFoundError("ChangeSet", changeSetId);
    const gates = Object.keys(current.delete_gates);
    if (gates.length > 0) throw new DeleteGatedError("ChangeSet", changeSetId, gates);
    await trx.deleteFrom("change_sets").where("change_set_id", "=", changeSetId).execute();
  });
}

function columns(attributes: ChangeSetAttributes) {
  return {
    slug: attributes.slug,
    display_name: attributes.displayName,
    labels: json(attributes.labels),
    annotations: json(attributes.annotations),
    delete_gates: json(attributes.deleteGates),
    description: attributes.description,
  };
}

function sameAttributes(current: ChangeSetRow, next: ChangeSetAttributes): boolean {
  return (
    current.slug === next.slug &&
    current.display_name === next.displayName &&
    sameMap(current.labels, next.labels) &&
    sameMap(current.annotations, next.annotations) &&
    sameMap(current.delete_gates, next.deleteGates) &&
    current.description === next.description
  );
}
