// The Units a function invocation runs on, read in keyset-paginated batches (ordered by unit_id),
// so an organization-wide call holds one batch of Unit data in memory at a time, however many
// Units match. The invoke pipeline (src/invoke) loops over the batches.
import { sql, type Expression, type Kysely, type SqlBool } from "kysely";
import type { DatabaseSchema } from "./schema.ts";
import type { UnitRow } from "./schema.ts";

/**
 * The Unit columns an invocation reads: what its functions' context, its data conditions, its
 * ChangeSet check and its save use. Not the whole row: every column read is output by the
 * database, parsed by the driver (PGlite does it on the main thread) and cloned to an engine
 * thread, once per Unit of the call.
 */
const SELECTED_COLUMNS = [
  "unit_id",
  "organization_id",
  "space_id",
  "slug",
  "display_name",
  "labels",
  "annotations",
  "toolchain_type",
  "data",
  "version",
  "head_revision_num",
  "live_revision_num",
  "apply_gates",
  "apply_warnings",
  "change_set_id",
  "target_id",
  "bridge_worker_id",
  "approved_by",
  "content_hash",
] as const satisfies readonly (keyof UnitRow)[];

const SELECTED_COLUMNS_QUALIFIED = SELECTED_COLUMNS.map((column) => `units.${column}` as const);

/** A selected Unit: the columns an invocation reads, its Space's slug and the ID of its head Revision. */
export type SelectedUnit = Pick<UnitRow, (typeof SELECTED_COLUMNS)[number]> & {
  readonly space_slug: string;
  readonly head_revision_id: string | null;
};

export interface UnitSelection {
  readonly organizationId: string;
  /** Only this Space's Units; every Space of the organization when omitted. */
  readonly spaceId?: string;
  /** Only this Unit. */
  readonly unitId?: string;
  /** Only these Units. */
  readonly unitIds?: readonly string[];
  /** Only Units of this toolchain (an invocation skips the others). */
  readonly toolchainType?: string;
  /** Compiled `where` conditions over the units table (unqualified columns), AND-ed. */
  readonly filters?: readonly Expression<SqlBool>[];
  /**
   * The `where_data` pre-filters (unitDataPrefilter), AND-ed: they keep a superset of the Units
   * whose data matches, so the caller still checks each Unit's data.
   */
  readonly dataFilters?: readonly Expression<SqlBool>[];
  /**
   * Only Units whose ChangeSetID differs from this one (null: Units that are in some ChangeSet):
   * the Units a write with this `change_set_id` may not touch.
   */
  readonly changeSetMismatch?: { readonly changeSetId: string | null };
}

/** The next `limit` selected Units after `afterUnitId` (exclusive), in unit_id order. */
export async function selectUnitBatch(
  db: Kysely<DatabaseSchema>,
  selection: UnitSelection,
  afterUnitId: string | undefined,
  limit: number,
): Promise<SelectedUnit[]> {
  if (selection.unitIds?.length === 0) return [];
  let query = selected(db, selection)
    .select(SELECTED_COLUMNS_QUALIFIED)
    .select(
      sql<string>`(select owner.slug from spaces as owner where owner.space_id = units.space_id)`.as(
        "space_slug",
      ),
    )
    .select(
      sql<string | null>`(select head.revision_id from revisions as head
        where head.unit_id = units.unit_id and head.revision_num = units.head_revision_num)`.as(
        "head_revision_id",
      ),
    );
  if (afterUnitId !== undefined) query = query.where("units.unit_id", ">", afterUnitId);
  return query.orderBy("units.unit_id").limit(limit).execute();
}

/**
 * The IDs of every selected Unit, in unit_id order: a filter that must run under a statement
 * timeout (a regex) runs once, up front, so it cannot fail halfway through an invocation.
 */
export async function selectUnitIds(db: Kysely<DatabaseSchema>, selection: UnitSelection): Promise<string[]> {
  if (selection.unitIds?.length === 0) return [];
  const rows = await selected(db, selection).select("units.unit_id").orderBy("units.unit_id").execute();
  return rows.map((row) => row.unit_id);
}

function selected(db: Kysely<DatabaseSchema>, selection: UnitSelection) {
  let query = db.selectFrom("units").where("units.organization_id", "=", selection.organizationId);
  if (selection.spaceId !== undefined) query = query.where("units.space_id", "=", selection.spaceId);
  if (selection.unitId !== undefined) query = query.where("units.unit_id", "=", selection.unitId);
  if (selection.unitIds !== undefined) query = query.where("units.unit_id", "in", [...selection.unitIds]);
  if (selection.toolchainType !== undefined) {
    query = query.where("units.toolchain_type", "=", selection.toolchainType);
  }
  for (const filter of selection.filters ?? []) query = query.where(filter);
  for (const filter of selection.dataFilters ?? []) query = query.where(filter);
  const mismatch = selection.changeSetMismatch;
  if (mismatch) {
    const { changeSetId } = mismatch;
    query =
      changeSetId === null
        ? query.where("units.change_set_id", "is not", null)
        : query.where((eb) =>
            eb.or([eb("units.change_set_id", "is", null), eb("units.change_set_id", "!=", changeSetId)]),
          );
  }
  return query;
}
