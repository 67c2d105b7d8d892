// Filters: saved selections (`From` an entity type, a `Where`, and for Units a `WhereData` and
// `ResourceType`) that list and invoke calls reference with `filter=<id>`. The repository stores
// them; checking that the expressions parse is the caller's job (src/api/routes/filters.ts).
import { createHash, randomUUID } from "node:crypto";
import { sql, type Expression, type Kysely, type SqlBool } from "kysely";
import {
  DeleteGatedError,
  DuplicateSlugError,
  NotFoundError,
  VersionConflictError,
  isUniqueViolation,
} from "./errors.ts";
import { json, sameMap } from "./json.ts";
import type { BoolMap, DatabaseSchema, FilterRow, StringMap } from "./schema.ts";

export interface FilterAttributes {
  readonly slug: string;
  readonly displayName: string;
  readonly labels: StringMap;
  readonly annotations: StringMap;
  readonly deleteGates: BoolMap;
  readonly from: string;
  readonly fromSpaceId: string | null;
  readonly where: string;
  readonly whereData: string;
  readonly resourceType: string;
}

export interface ListFiltersOptions {
  /** Only this Space's Filters; all of the organization's when omitted. */
  readonly spaceId?: string;
  /** Extra conditions AND-ed to the scope (a compiled `where` over the filters table). */
  readonly filters?: readonly Expression<SqlBool>[];
}

export async function listFilters(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  options: ListFiltersOptions = {},
): Promise<FilterRow[]> {
  let query = db.selectFrom("filters").selectAll().where("organization_id", "=", organizationId);
  if (options.spaceId !== undefined) query = query.where("space_id", "=", options.spaceId);
  for (const filter of options.filters ?? []) query = query.where(filter);
  return query.orderBy("created_at").orderBy("filter_id").execute();
}

/** The Filter, found in the organization (and the Space, when given), or NotFoundError. */
export async function getFilter(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  filterId: string,
  spaceId?: string,
): Promise<FilterRow> {
  let query = db
    .selectFrom("filters")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .where("filter_id", "=", filterId);
  if (spaceId !== undefined) query = query.where("space_id", "=", spaceId);
  const row = await query.executeTakeFirst();
  if (!row) throw new NotFoundError("Filter", filterId);
  return row;
}

export async function createFilter(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  spaceId: string,
  attributes: FilterAttributes,
): Promise<FilterRow> {
  try {
    return await db
      .insertInto("filters")
      .values({
        filter_id: randomUUID(),
        organization_id: organizationId,
        space_id: spaceId,
        ...columns(attributes),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateSlugError("Filter", attributes.slug, "this space");
    throw error;
  }
}

export interface FilterModification {
  /** The Version the caller read, when it sent one. */
  readonly expectedVersion?: number;
  readonly attributes: FilterAttributes;
}

/**
 * Reads the Filter, lets `plan` decide its new attributes (and validate them against the current
 * row), and writes them with one Version bump (none when nothing changed), in one transaction.
 */
export async function modifyFilter(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  spaceId: string,
  filterId: string,
  plan: (current: FilterRow) => FilterModification | Promise<FilterModification>,
): Promise<FilterRow> {
  let newSlug = "";
  try {
    return await db.transaction().execute(async (trx) => {
      const current = await trx
        .selectFrom("filters")
        .selectAll()
        .where("organization_id", "=", organizationId)
        .where("space_id", "=", spaceId)
        .where("filter_id", "=", filterId)
        .forUpdate()
        .executeTakeFirst();
      if (!current) throw new NotFoundError("Filter", filterId);
      const { expectedVersion, attributes } = await plan(current);
      newSlug = attributes.slug;
      if (expectedVersion !== undefined && expectedVersion !== current.version) {
        throw new VersionConflictError("Filter", filterId, expectedVersion, current.version);
      }
      if (sameAttributes(current, attributes)) return current;
      return await trx
        .updateTable("filters")
        .set((eb) => ({
          ...columns(attributes),
          version: eb("version", "+", 1),
          updated_at: sql<Date>`now()`,
        }))
        .where("filter_id", "=", filterId)
        .returningAll()
        .executeTakeFirstOrThrow();
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateSlugError("Filter", newSlug, "this space");
    throw error;
  }
}

export async function deleteFilter(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  spaceId: string,
  filterId: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom("filters")
      .select(["filter_id", "delete_gates"])
      .where("organization_id", "=", organizationId)
      .where("space_id", "=", spaceId)
      .where("filter_id", "=", filterId)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw new NotFoundError("Filter", filterId);
    const gates = Object.keys(current.delete_gates);
    if (gates.length > 0) throw new DeleteGatedError("Filter", filterId, gates);
    await trx.deleteFrom("filters").where("filter_id", "=", filterId).execute();
  });
}

/** SHA-256 of the fields that decide what the Filter selects (ConfigHub's read-only `Hash`). */
export function filterHash(
  attributes: Pick<FilterAttributes, "from" | "fromSpaceId" | "where" | "whereData" | "resourceType">,
): string {
  const spec = [
    attributes.from,
    attributes.fromSpaceId ?? "",
    attributes.where,
    attributes.whereData,
    attributes.resourceType,
  ];
  return createHash("sha256").update(JSON.stringify(spec)).digest("hex");
}

function columns(attributes: FilterAttributes) {
  return {
    slug: attributes.slug,
    display_name: attributes.displayName,
    labels: json(attributes.labels),
    annotations: json(attributes.annotations),
    delete_gates: json(attributes.deleteGates),
    from: attributes.from,
    from_space_id: attributes.fromSpaceId,
    where: attributes.where,
    where_data: attributes.whereData,
    resource_type: attributes.resourceType,
    hash: filterHash(attributes),
  };
}

function sameAttributes(current: FilterRow, next: FilterAttributes): boolean {
  return (
    current.slug === next.slug &&
    current.display_name === next.displayName &&
    sameMap(current.labels, next.labels) &&
    sameMap(current.annotations, next.annotations) &&
    sameMap(current.delete_gates, next.deleteGates) &&
    current.from === next.from &&
    current.from_space_id === next.fromSpaceId &&
    current.where === next.where &&
    current.where_data === next.whereData &&
    current.resource_type === next.resourceType
  );
}
