// Spaces: organization-scoped containers of Units. Reads return the row with its roll-up counts;
// writes are guarded by `version` when the caller names the Version it read.
import { randomUUID } from "node:crypto";
import { sql, type Expression, type Kysely, type SqlBool } from "kysely";
import {
  DeleteGatedError,
  DuplicateSlugError,
  NotEmptyError,
  NotFoundError,
  VersionConflictError,
  isUniqueViolation,
} from "./errors.ts";
import { json, sameMap } from "./json.ts";
import type { BoolMap, DatabaseSchema, SpaceRow, StringMap } from "./schema.ts";
import { inTransaction } from "./transaction.ts";

export interface SpaceRecord extends SpaceRow {
  readonly total_unit_count: number;
}

export interface SpaceAttributes {
  readonly slug: string;
  readonly displayName: string;
  readonly labels: StringMap;
  readonly annotations: StringMap;
  readonly deleteGates: BoolMap;
}

export interface ListSpacesOptions {
  /**
   * Extra conditions AND-ed to the organization scope (e.g. a compiled `where`). Unqualified
   * column names refer to `spaces`: the query has no joins.
   */
  readonly filters?: readonly Expression<SqlBool>[];
}

function selectSpaces(db: Kysely<DatabaseSchema>, organizationId: string) {
  return db
    .selectFrom("spaces")
    .selectAll("spaces")
    .select(
      sql<number>`(select count(*)::int from units as counted where counted.space_id = spaces.space_id)`.as(
        "total_unit_count",
      ),
    )
    .where("spaces.organization_id", "=", organizationId);
}

export async function listSpaces(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  options: ListSpacesOptions = {},
): Promise<SpaceRecord[]> {
  let query = selectSpaces(db, organizationId);
  for (const filter of options.filters ?? []) query = query.where(filter);
  return query.orderBy("spaces.created_at").orderBy("spaces.space_id").execute();
}

export async function getSpace(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  spaceId: string,
): Promise<SpaceRecord> {
  const space = await selectSpaces(db, organizationId)
    .where("spaces.space_id", "=", spaceId)
    .executeTakeFirst();
  if (!space) throw new NotFoundError("Space", spaceId);
  return space;
}

export async function createSpace(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  attributes: SpaceAttributes,
): Promise<SpaceRecord> {
  try {
    const row = await db
      .insertInto("spaces")
      .values({
        space_id: randomUUID(),
        organization_id: organizationId,
        slug: attributes.slug,
        display_name: attributes.displayName,
        labels: json(attributes.labels),
        annotations: json(attributes.annotations),
        delete_gates: json(attributes.deleteGates),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { ...row, total_unit_count: 0 };
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateSlugError("Space", attributes.slug, "this organization");
    throw error;
  }
}

export interface SpaceModification {
  /** The Version the caller read, when it sent one. */
  readonly expectedVersion?: number;
  readonly attributes: SpaceAttributes;
}

/**
 * Reads the Space, lets `plan` decide the new attributes from it, and writes them with one
 * Version bump (none when nothing changed), all in one transaction.
 */
export async function modifySpace(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  spaceId: string,
  plan: (current: SpaceRecord) => SpaceModification,
): Promise<SpaceRecord> {
  let newSlug = "";
  try {
    return await inTransaction(db, async (trx) => {
      const current = await selectSpaces(trx, organizationId)
        .where("spaces.space_id", "=", spaceId)
        .forUpdate("spaces")
        .executeTakeFirst();
      if (!current) throw new NotFoundError("Space", spaceId);
      const { expectedVersion, attributes } = plan(current);
      newSlug = attributes.slug;
      if (expectedVersion !== undefined && expectedVersion !== current.version) {
        throw new VersionConflictError("Space", spaceId, expectedVersion, current.version);
      }
      if (sameSpaceAttributes(current, attributes)) return current;
      const row = await trx
        .updateTable("spaces")
        .set((eb) => ({
          slug: attributes.slug,
          display_name: attributes.displayName,
          labels: json(attributes.labels),
          annotations: json(attributes.annotations),
          delete_gates: json(attributes.deleteGates),
          version: eb("version", "+", 1),
          updated_at: sql<Date>`now()`,
        }))
        .where("organization_id", "=", organizationId)
        .where("space_id", "=", spaceId)
        .where("version", "=", current.version)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new VersionConflictError("Space", spaceId, current.version, undefined);
      return { ...row, total_unit_count: current.total_unit_count };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateSlugError("Space", newSlug, "this organization");
    throw error;
  }
}

export interface DeleteSpaceOptions {
  /** Delete its Units (and their Revisions and Mutations) too. */
  readonly recursive?: boolean;
}

/**
 * Deletes the Space and everything in it. Returns the IDs of the bridge workers deleted with it,
 * whose streams the caller must end (they cannot authenticate any more).
 */
export async function deleteSpace(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  spaceId: string,
  options: DeleteSpaceOptions = {},
): Promise<{ bridgeWorkerIds: string[] }> {
  return inTransaction(db, async (trx) => {
    const space = await selectSpaces(trx, organizationId)
      .where("spaces.space_id", "=", spaceId)
      .forUpdate("spaces")
      .executeTakeFirst();
    if (!space) throw new NotFoundError("Space", spaceId);
    const gates = Object.keys(space.delete_gates);
    if (gates.length > 0) throw new DeleteGatedError("Space", spaceId, gates);
    if (space.total_unit_count > 0 && !options.recursive) {
      throw new NotEmptyError(
        "Space",
        spaceId,
        `${space.total_unit_count} Unit${space.total_unit_count === 1 ? "" : "s"}`,
      );
    }
    const workers = await trx
      .selectFrom("bridge_workers")
      .select("bridge_worker_id")
      .where("organization_id", "=", organizationId)
      .where("space_id", "=", spaceId)
      .execute();
    // Units, Revisions, Mutations and the saved entities go with it (foreign keys cascade).
    await trx
      .deleteFrom("spaces")
      .where("organization_id", "=", organizationId)
      .where("space_id", "=", spaceId)
      .execute();
    return { bridgeWorkerIds: workers.map((w) => w.bridge_worker_id) };
  });
}

function sameSpaceAttributes(current: SpaceRow, next: SpaceAttributes): boolean {
  return (
    current.slug === next.slug &&
    current.display_name === next.displayName &&
    sameMap(current.labels, next.labels) &&
    sameMap(current.annotations, next.annotations) &&
    sameMap(current.delete_gates, next.deleteGates)
  );
}
