// What a Unit list returns: `where` ∧ `contains` ∧ the saved Filter named by `filter`. The Filter
// is resolved as invoke resolves one (src/invoke/selection.ts): it must be the caller's
// organization's (else 404), select Units, and its FromSpaceID limits the list to that Space (in a
// Space's list, another Space's Filter is a 400). Its WhereData/ResourceType conditions look into
// config data, which a list does not read: such a Filter is a 400 rather than half-applied.
import type { Kysely } from "kysely";
import {
  checkFilterField,
  compileWhere,
  listFilters,
  listQuerySchema,
  unitCatalogue,
  type ListFilterQuery,
  type ListFilters,
} from "../../filter/index.ts";
import { getFilter, type DatabaseSchema } from "../../store/index.ts";
import { badRequest } from "../errors.ts";
import { uuidSchema } from "../wire/common.ts";

export interface UnitListQuery extends ListFilterQuery {
  readonly filter?: string | undefined;
}

const baseQuery = listQuerySchema("Unit");

export const unitListQuerySchema = {
  ...baseQuery,
  properties: {
    ...baseQuery.properties,
    filter: {
      ...uuidSchema,
      description:
        "The ID of a saved Filter (From Unit) of the caller's organization; its Where is AND-ed with " +
        "`where` and `contains`, and its FromSpaceID limits the list to that Space. A Filter with " +
        "WhereData or ResourceType is a 400: a list does not read config data.",
    },
  },
} as const;

export interface UnitListSelection {
  readonly filter: ListFilters;
  /** The Space the list is limited to: the route's, else the Filter's FromSpaceID. */
  readonly spaceId: string | undefined;
}

const SQL_OPTIONS = { table: "units" } as const;

export async function resolveUnitListSelection(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  query: UnitListQuery,
  spaceId: string | undefined,
): Promise<UnitListSelection> {
  const listed = listFilters(unitCatalogue, query, SQL_OPTIONS);
  if (query.filter === undefined) return { filter: listed, spaceId };

  const saved = await getFilter(db, organizationId, query.filter);
  const name = `querystring/filter: Filter ${saved.slug}`;
  if (saved.from !== "Unit") {
    throw badRequest(
      `${name} selects ${saved.from} entities; this list returns Units: use a Filter From Unit`,
    );
  }
  if (spaceId !== undefined && saved.from_space_id !== null && saved.from_space_id !== spaceId) {
    throw badRequest(
      `${name} is for Space ${saved.from_space_id} (FromSpaceID); this list is of Space ${spaceId}`,
    );
  }
  if (saved.where_data.trim() !== "" || saved.resource_type !== "") {
    throw badRequest(
      `${name} has WhereData or ResourceType, conditions on config data that a Unit list does not evaluate: ` +
        "use it with function invoke, or list with a Filter that has only Where",
    );
  }
  if (saved.where.trim() === "")
    return { filter: listed, spaceId: spaceId ?? saved.from_space_id ?? undefined };
  const compiled = checkFilterField(`Filter ${saved.slug} Where`, () =>
    compileWhere(saved.where, unitCatalogue, SQL_OPTIONS),
  );
  return {
    filter: {
      filters: [...listed.filters, compiled.expression],
      usesRegex: listed.usesRegex || compiled.usesRegex,
      source: [listed.source, saved.where].filter((s) => s.trim() !== "").join(" AND "),
    },
    spaceId: spaceId ?? saved.from_space_id ?? undefined,
  };
}
