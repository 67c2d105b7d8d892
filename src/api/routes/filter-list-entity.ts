// `entity` + `id` on the Filter lists (ConfigHub's ListFilters): only the Filters that select that
// entity, i.e. whose From is its type, whose FromSpaceID (if any) is its Space, and whose Where
// holds for it (for a Unit also WhereData and ResourceType, on its config data, as invoke
// evaluates them). The entity must be of the caller's organization (else 404).
import type { Kysely } from "kysely";
import { catalogueFor, catalogues, checkFilterField, compileWhere, snakeCase } from "../../filter/index.ts";
import { dataCondition } from "../../invoke/index.ts";
import {
  NotFoundError,
  entityMatches,
  findEntityRow,
  type DatabaseSchema,
  type FilterRow,
} from "../../store/index.ts";
import { badRequest } from "../errors.ts";
import { uuidSchema } from "../wire/common.ts";
import { unitDataMatches } from "./unit-list-selection.ts";

export interface FilterEntityQuery {
  readonly entity?: string | undefined;
  readonly id?: string | undefined;
}

const storedEntities = () =>
  [...catalogues.values()].filter((c) => c.table !== undefined).map((c) => c.entity);

export const filterEntityProperties = {
  entity: {
    type: "string",
    maxLength: 64,
    description:
      "With `id`: only the Filters that select this entity (their From is this type, their FromSpaceID " +
      `its Space, and their Where, and for a Unit WhereData and ResourceType, hold for it). One of: ${storedEntities().join(", ")}.`,
  },
  id: { ...uuidSchema, description: "With `entity`: the ID of the entity (of the caller's organization)." },
} as const;

/** The Filters among `rows` that select the entity, or all of them without `entity`/`id`. */
export async function filtersSelectingEntity(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  rows: readonly FilterRow[],
  query: FilterEntityQuery,
): Promise<FilterRow[]> {
  const { entity, id } = query;
  if (entity === undefined && id === undefined) return [...rows];
  if (entity === undefined || id === undefined) {
    throw badRequest("querystring/entity, querystring/id: go together (the entity type and its ID)");
  }
  const catalogue = catalogueFor(entity);
  if (catalogue?.table === undefined) {
    throw badRequest(
      `querystring/entity: '${entity}' is not a stored entity type; use one of ${storedEntities().join(", ")}`,
    );
  }
  const stored = { table: catalogue.table, idColumn: `${snakeCase(entity)}_id` };
  const row = await findEntityRow(db, stored, organizationId, id);
  if (row === undefined) throw new NotFoundError(entity, id);
  const out: FilterRow[] = [];
  for (const filter of rows) {
    if (filter.from !== entity) continue;
    if (filter.from_space_id !== null && row.space_id !== filter.from_space_id) continue;
    if (filter.where.trim() !== "") {
      const compiled = checkFilterField(`Filter ${filter.slug} Where`, () =>
        compileWhere(filter.where, catalogue, { table: catalogue.table }),
      );
      if (!(await entityMatches(db, stored, organizationId, id, [compiled.expression]))) continue;
    }
    if (entity === "Unit" && (filter.where_data.trim() !== "" || filter.resource_type !== "")) {
      const condition = dataCondition(
        filter.where_data,
        filter.resource_type || undefined,
        `Filter ${filter.slug} WhereData`,
      );
      if (!unitDataMatches(String(row.data ?? ""), String(row.toolchain_type), [condition])) continue;
    }
    out.push(filter);
  }
  return out;
}
