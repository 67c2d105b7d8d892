// Units: config data plus attributes, inside a Space. Data changes go through writeUnitData
// (one Revision and one Mutation each); attribute-only changes bump Version and nothing else.
import { randomUUID } from "node:crypto";
import { sql, type Expression, type Kysely, type SqlBool, type Transaction } from "kysely";
import {
  DeleteGatedError,
  DuplicateSlugError,
  NotFoundError,
  VersionConflictError,
  isUniqueViolation,
} from "./errors.ts";
import { json, sameMap } from "./json.ts";
import type { BoolMap, DatabaseSchema, MutationRow, RevisionRow, StringMap, UnitRow } from "./schema.ts";
import { writeUnitData, type DataChangeHook, type RevisionSource } from "./unit-data-write.ts";
import type { UnitDataColumns } from "./unit-data-columns.ts";
import { inTransaction } from "./transaction.ts";
import { UNIT_COLUMNS, UNIT_COLUMNS_QUALIFIED, UNIT_COLUMNS_WITHOUT_DATA } from "./unit-columns.ts";

/** A Unit row with the slug of its Space (Unit.SpaceSlug). */
export interface UnitRecord extends UnitRow {
  readonly space_slug: string;
}

/** The Unit attributes a client may set. */
export interface UnitAttributes {
  readonly slug: string;
  readonly displayName: string;
  readonly labels: StringMap;
  readonly annotations: StringMap;
  readonly deleteGates: BoolMap;
  readonly destroyGates: BoolMap;
  readonly lastChangeDescription: string;
  /** The ChangeSet the Unit belongs to (null: none); undefined leaves it as it is. */
  readonly changeSetId?: string | null;
}

/** Who is writing, for the Revision and Mutation records. */
export interface WriteContext {
  readonly userId: string | null;
  readonly userAgent: string;
  /** The Space's data-change triggers (see DataChangeHook), run by every Data change. */
  readonly onDataChange?: DataChangeHook;
}

export interface UnitKey {
  readonly organizationId: string;
  readonly spaceId: string;
  readonly unitId: string;
}

export interface ListUnitsOptions {
  /** Only this Space's Units; all of the organization's otherwise. */
  readonly spaceId?: string;
  /**
   * Extra conditions AND-ed to the organization scope (e.g. a compiled `where`). Unqualified
   * column names refer to `units`: the query has no joins.
   */
  readonly filters?: readonly Expression<SqlBool>[];
  /**
   * false: leave the `data` column in the database (a list whose caller did not select Data must
   * not ship every Unit's config); the records then have no `data` member.
   */
  readonly withData?: boolean;
}

/** A listed Unit: without `data` when listed with `withData: false`. */
export type ListedUnit = Omit<UnitRecord, "data"> & { readonly data?: string };

function selectUnits(db: Kysely<DatabaseSchema>, organizationId: string) {
  return db
    .selectFrom("units")
    .select(UNIT_COLUMNS_QUALIFIED)
    .select(
      sql<string>`(select owner.slug from spaces as owner where owner.space_id = units.space_id)`.as(
        "space_slug",
      ),
    )
    .where("units.organization_id", "=", organizationId);
}

/** The Units, ordered by Slug (then Space and ID: Slugs repeat across Spaces). */
export async function listUnits(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  options: ListUnitsOptions & { readonly withData?: true },
): Promise<UnitRecord[]>;
export async function listUnits(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  options?: ListUnitsOptions,
): Promise<ListedUnit[]>;
export async function listUnits(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  options: ListUnitsOptions = {},
): Promise<ListedUnit[]> {
  let query = db
    .selectFrom("units")
    .select(
      sql<string>`(select owner.slug from spaces as owner where owner.space_id = units.space_id)`.as(
        "space_slug",
      ),
    )
    .where("units.organization_id", "=", organizationId);
  if (options.spaceId !== undefined) query = query.where("units.space_id", "=", options.spaceId);
  for (const filter of options.filters ?? []) query = query.where(filter);
  const ordered = query.orderBy("units.slug").orderBy("units.space_id").orderBy("units.unit_id");
  if (options.withData === false) {
    return ordered.select(UNIT_COLUMNS_WITHOUT_DATA).execute();
  }
  return ordered.select(UNIT_COLUMNS_QUALIFIED).execute();
}

export async function getUnit(db: Kysely<DatabaseSchema>, key: UnitKey): Promise<UnitRecord> {
  const unit = await selectUnits(db, key.organizationId)
    .where("units.space_id", "=", key.spaceId)
    .where("units.unit_id", "=", key.unitId)
    .executeTakeFirst();
  if (!unit) throw new NotFoundError("Unit", key.unitId);
  return unit;
}

export interface NewUnit {
  readonly attributes: UnitAttributes;
  readonly toolchainType: string;
  readonly data: string;
  /** unitDataColumns of `data`, when the caller has them (its check computed them). */
  readonly dataColumns?: UnitDataColumns;
  /** Revision 1's Source; CreateUnit unless the Unit is, e.g., a clone (CloneUnit). */
  readonly source?: RevisionSource;
  /** The Unit this one is a clone of (Unit.Upstream*), at that Unit's head Revision. */
  readonly upstream?: UnitUpstream;
}

export interface UnitUpstream {
  readonly organizationId: string;
  readonly spaceId: string;
  readonly unitId: string;
  readonly revisionNum: number;
}

export interface UnitCreated {
  readonly unit: UnitRecord;
  readonly revision: RevisionRow;
  readonly mutation: MutationRow;
}

/** Creates the Unit and its Revision 1 (Source CreateUnit, or `unit.source`) in one transaction. */
export async function createUnit(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  spaceId: string,
  unit: NewUnit,
  context: WriteContext,
): Promise<UnitCreated> {
  /** How the duplicate-slug message names the Space: its slug once read. */
  let spaceName = spaceId;
  try {
    return await inTransaction(db, async (trx) => {
      const space = await trx
        .selectFrom("spaces")
        .select("slug")
        .where("organization_id", "=", organizationId)
        .where("space_id", "=", spaceId)
        .executeTakeFirst();
      if (!space) throw new NotFoundError("Space", spaceId);
      spaceName = space.slug;
      const { attributes } = unit;
      const unitId = randomUUID();
      // Counters start at 0 and Version at 0: writeUnitData moves them to 1 with Revision 1.
      await trx
        .insertInto("units")
        .values({
          unit_id: unitId,
          organization_id: organizationId,
          space_id: spaceId,
          slug: attributes.slug,
          display_name: attributes.displayName,
          labels: json(attributes.labels),
          annotations: json(attributes.annotations),
          delete_gates: json(attributes.deleteGates),
          destroy_gates: json(attributes.destroyGates),
          change_set_id: attributes.changeSetId ?? null,
          toolchain_type: unit.toolchainType,
          ...(unit.upstream
            ? {
                upstream_organization_id: unit.upstream.organizationId,
                upstream_space_id: unit.upstream.spaceId,
                upstream_unit_id: unit.upstream.unitId,
                upstream_revision_num: unit.upstream.revisionNum,
              }
            : {}),
          version: 0,
        })
        .execute();
      const written = await writeUnitData(trx, {
        organizationId,
        unitId,
        toolchainType: unit.toolchainType,
        data: unit.data,
        ...(unit.dataColumns ? { dataColumns: unit.dataColumns } : {}),
        source: unit.source ?? "CreateUnit",
        description: attributes.lastChangeDescription,
        expectedVersion: 0,
        userId: context.userId,
        userAgent: context.userAgent,
        onDataChange: context.onDataChange,
      });
      return { ...written, unit: { ...written.unit, space_slug: space.slug } };
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new DuplicateSlugError("Unit", unit.attributes.slug, `Space ${spaceName}`);
    throw error;
  }
}

export interface UnitModification {
  /** The Version the caller read, when it sent one. */
  readonly expectedVersion?: number;
  readonly attributes: UnitAttributes;
  /** New config data; unchanged data (byte-equal) writes no Revision. */
  readonly data?: string;
  /** unitDataColumns of `data`, when the caller has them (its check computed them). */
  readonly dataColumns?: UnitDataColumns;
  readonly source: RevisionSource;
  /** The Revision whose data `data` restores (Mutation.RestoredRevisionNum). */
  readonly restoredRevisionNum?: number;
}

export interface UnitModified {
  readonly unit: UnitRecord;
  /** The Revision written, when Data changed. */
  readonly revision?: RevisionRow;
}

/**
 * The Unit's ToolchainType (which never changes; read before a write that checks large data first),
 * or NotFoundError unless the Unit exists in that Space of that organization.
 */
export async function unitToolchainType(db: Kysely<DatabaseSchema>, key: UnitKey): Promise<string> {
  const row = await db
    .selectFrom("units")
    .select("toolchain_type")
    .where("organization_id", "=", key.organizationId)
    .where("space_id", "=", key.spaceId)
    .where("unit_id", "=", key.unitId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError("Unit", key.unitId);
  return row.toolchain_type;
}

/**
 * Reads the Unit (locked), lets `plan` decide the change from it, and writes it in the same
 * transaction: a Data change through writeUnitData, attribute changes with one Version bump,
 * nothing at all for a no-op. `plan` may throw to abort (e.g. invalid data); lookups it makes
 * go through `trx`, the transaction's handle.
 */
export async function modifyUnit(
  db: Kysely<DatabaseSchema>,
  key: UnitKey,
  context: WriteContext,
  plan: (
    current: UnitRecord,
    trx: Transaction<DatabaseSchema>,
  ) => UnitModification | Promise<UnitModification>,
): Promise<UnitModified> {
  let newSlug = "";
  let spaceName = key.spaceId;
  try {
    return await inTransaction(db, async (trx) => {
      const current = await selectUnits(trx, key.organizationId)
        .where("units.space_id", "=", key.spaceId)
        .where("units.unit_id", "=", key.unitId)
        .forUpdate("units")
        .executeTakeFirst();
      if (!current) throw new NotFoundError("Unit", key.unitId);
      spaceName = current.space_slug;
      const change = await plan(current, trx);
      newSlug = change.attributes.slug;
      if (change.expectedVersion !== undefined && change.expectedVersion !== current.version) {
        throw new VersionConflictError("Unit", key.unitId, change.expectedVersion, current.version);
      }
      const dataChanged = change.data !== undefined && change.data !== current.data;
      if (!dataChanged && sameUnitAttributes(current, change.attributes)) return { unit: current };
      const { attributes } = change;
      const columns = {
        slug: attributes.slug,
        display_name: attributes.displayName,
        labels: json(attributes.labels),
        annotations: json(attributes.annotations),
        delete_gates: json(attributes.deleteGates),
        destroy_gates: json(attributes.destroyGates),
        ...(attributes.changeSetId !== undefined ? { change_set_id: attributes.changeSetId } : {}),
      };
      if (dataChanged) {
        const written = await writeUnitData(trx, {
          organizationId: key.organizationId,
          unitId: key.unitId,
          toolchainType: current.toolchain_type,
          data: change.data as string,
          ...(change.dataColumns ? { dataColumns: change.dataColumns } : {}),
          source: change.source,
          ...(change.restoredRevisionNum !== undefined
            ? { restoredRevisionNum: change.restoredRevisionNum }
            : {}),
          description: attributes.lastChangeDescription,
          expectedVersion: current.version,
          userId: context.userId,
          userAgent: context.userAgent,
          onDataChange: context.onDataChange,
          alsoSet: columns,
        });
        return { unit: { ...written.unit, space_slug: current.space_slug }, revision: written.revision };
      }
      return {
        unit: {
          ...(await updateAttributes(trx, current, columns, attributes)),
          space_slug: current.space_slug,
        },
      };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateSlugError("Unit", newSlug, `Space ${spaceName}`);
    throw error;
  }
}

async function updateAttributes(
  trx: Transaction<DatabaseSchema>,
  current: UnitRecord,
  columns: Record<string, string | null>,
  attributes: UnitAttributes,
): Promise<UnitRow> {
  const row = await trx
    .updateTable("units")
    .set((eb) => ({
      ...columns,
      last_change_description: attributes.lastChangeDescription,
      version: eb("version", "+", 1),
      updated_at: sql<Date>`now()`,
    }))
    .where("organization_id", "=", current.organization_id)
    .where("unit_id", "=", current.unit_id)
    .where("version", "=", current.version)
    .returning(UNIT_COLUMNS)
    .executeTakeFirst();
  if (!row) throw new VersionConflictError("Unit", current.unit_id, current.version, undefined);
  return row;
}

/** NotFoundError unless the Unit exists in that Space of that organization. */
export async function assertUnitExists(db: Kysely<DatabaseSchema>, key: UnitKey): Promise<void> {
  await unitToolchainType(db, key);
}

export async function deleteUnit(db: Kysely<DatabaseSchema>, key: UnitKey): Promise<void> {
  await inTransaction(db, async (trx) => {
    const unit = await trx
      .selectFrom("units")
      .select(["delete_gates"])
      .where("organization_id", "=", key.organizationId)
      .where("space_id", "=", key.spaceId)
      .where("unit_id", "=", key.unitId)
      .forUpdate()
      .executeTakeFirst();
    if (!unit) throw new NotFoundError("Unit", key.unitId);
    const gates = Object.keys(unit.delete_gates);
    if (gates.length > 0) throw new DeleteGatedError("Unit", key.unitId, gates);
    // Its Revisions and Mutations go with it (foreign keys cascade).
    await trx
      .deleteFrom("units")
      .where("organization_id", "=", key.organizationId)
      .where("unit_id", "=", key.unitId)
      .execute();
  });
}

function sameUnitAttributes(current: UnitRow, next: UnitAttributes): boolean {
  return (
    current.slug === next.slug &&
    current.display_name === next.displayName &&
    current.last_change_description === next.lastChangeDescription &&
    sameMap(current.labels, next.labels) &&
    sameMap(current.annotations, next.annotations) &&
    sameMap(current.delete_gates, next.deleteGates) &&
    sameMap(current.destroy_gates, next.destroyGates) &&
    (next.changeSetId === undefined || current.change_set_id === next.changeSetId)
  );
}
