// What a bulk Unit operation (POST|PATCH|DELETE /api/unit) works on: the selected Units' identities
// and Versions, without their data, read once before any write and bounded by the caller (it asks
// for one more than its limit to tell "exactly the limit" from "too many"). Each Unit is then
// written in its own transaction by the usual createUnit/modifyUnit/deleteUnit, guarded by the
// Version read here.
import { sql, type Expression, type Kysely, type SqlBool } from "kysely";
import type { DatabaseSchema } from "./schema.ts";
import { UNIT_COLUMNS_QUALIFIED } from "./unit-columns.ts";
import type { UnitRecord } from "./units.ts";

/** A selected Unit, as a bulk operation needs it before touching it. */
export interface BulkUnitRef {
  readonly unit_id: string;
  readonly space_id: string;
  readonly space_slug: string;
  readonly slug: string;
  readonly version: number;
  readonly toolchain_type: string;
}

export interface BulkUnitSelection {
  readonly organizationId: string;
  /** Only this Space's Units (a saved Filter's FromSpaceID); every Space otherwise. */
  readonly spaceId?: string;
  /** Compiled `where`/`contains`/Filter conditions over `units` (unqualified columns), AND-ed. */
  readonly filters: readonly Expression<SqlBool>[];
}

/** At most `limit` selected Units, ordered by Unit slug (then ID). */
export async function selectBulkUnits(
  db: Kysely<DatabaseSchema>,
  selection: BulkUnitSelection,
  limit: number,
): Promise<BulkUnitRef[]> {
  let query = db
    .selectFrom("units")
    .select(["units.unit_id", "units.space_id", "units.slug", "units.version", "units.toolchain_type"])
    .select(
      sql<string>`(select owner.slug from spaces as owner where owner.space_id = units.space_id)`.as(
        "space_slug",
      ),
    )
    .where("units.organization_id", "=", selection.organizationId);
  if (selection.spaceId !== undefined) query = query.where("units.space_id", "=", selection.spaceId);
  for (const filter of selection.filters) query = query.where(filter);
  return query.orderBy("units.slug").orderBy("units.unit_id").limit(limit).execute();
}

/** The Unit with that slug in that Space, if any. */
export async function findUnitBySlug(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  spaceId: string,
  slug: string,
): Promise<UnitRecord | undefined> {
  return db
    .selectFrom("units")
    .select(UNIT_COLUMNS_QUALIFIED)
    .select(
      sql<string>`(select owner.slug from spaces as owner where owner.space_id = units.space_id)`.as(
        "space_slug",
      ),
    )
    .where("units.organization_id", "=", organizationId)
    .where("units.space_id", "=", spaceId)
    .where("units.slug", "=", slug)
    .executeTakeFirst();
}
