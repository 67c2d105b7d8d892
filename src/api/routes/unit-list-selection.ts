// What a Unit list returns: `where` ∧ `contains` ∧ the saved Filter named by `filter` (resolved as
// for every list: list-parameters.ts, with invoke's FromSpaceID rules) ∧ the data conditions
// `where_data`/`resource_type` and the saved Filter's WhereData/ResourceType. The data conditions
// are evaluated on each Unit's config data exactly as invoke evaluates them (src/invoke
// data-conditions: parsed with the Unit's toolchain; data that does not parse matches nothing).
import type { Kysely } from "kysely";
import { unitCatalogue, type ListFilters } from "../../filter/index.ts";
import { dataCondition, matchDataConditions, type DataCondition } from "../../invoke/index.ts";
import type { ToolchainType } from "../../engine/index.ts";
import type { DatabaseSchema } from "../../store/index.ts";
import { listParametersSchema, resolveListSelection, type ListParameterQuery } from "./list-parameters.ts";
import { triggerSelectionProperties, type TriggerSelectionQuery } from "./unit-list-triggers.ts";

export interface UnitListQuery extends ListParameterQuery, TriggerSelectionQuery {
  readonly resource_type?: string | undefined;
  readonly where_data?: string | undefined;
}

const baseQuery = listParametersSchema("Unit");

export const unitListQuerySchema = {
  ...baseQuery,
  properties: {
    ...baseQuery.properties,
    filter: {
      ...baseQuery.properties.filter,
      description:
        baseQuery.properties.filter.description +
        " Its WhereData and ResourceType are applied as `where_data` and `resource_type` are.",
    },
    resource_type: {
      type: "string",
      maxLength: 256,
      description:
        "Only Units whose config data holds a resource of this type ([group/]version/Kind, e.g. " +
        "apps/v1/Deployment); with `where_data`, the resources `where_data` looks at.",
    },
    where_data: {
      type: "string",
      description:
        "Only Units whose config data satisfies this condition (the `where_data` language of invoke: " +
        "`path operator literal` joined by AND; docs/filters.md). Data that does not parse matches nothing.",
    },
    ...triggerSelectionProperties,
  },
} as const;

export interface UnitListSelection {
  readonly filter: ListFilters;
  /** The Space the list is limited to: the route's, else the Filter's FromSpaceID. */
  readonly spaceId: string | undefined;
  /** Conditions on config data; when there are any, the list must read the Units' data. */
  readonly dataConditions: readonly DataCondition[];
}

const SQL_OPTIONS = { table: "units" } as const;

const nonEmpty = (text: string | undefined): string | undefined =>
  text === undefined || text.trim() === "" ? undefined : text;

export async function resolveUnitListSelection(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  query: UnitListQuery,
  spaceId: string | undefined,
): Promise<UnitListSelection> {
  const whereData = nonEmpty(query.where_data);
  const resourceType = nonEmpty(query.resource_type);
  const dataConditions: DataCondition[] = [];
  // Checked first: a bad where_data is reported before anything is read.
  if (whereData !== undefined || resourceType !== undefined) {
    dataConditions.push(dataCondition(whereData ?? "", resourceType, "querystring/where_data"));
  }
  const selection = await resolveListSelection(db, organizationId, query, {
    catalogue: unitCatalogue,
    spaceId,
    sql: SQL_OPTIONS,
  });
  const saved = selection.saved;
  if (saved !== undefined && (saved.where_data.trim() !== "" || saved.resource_type !== "")) {
    dataConditions.push(
      dataCondition(saved.where_data, saved.resource_type || undefined, `Filter ${saved.slug} WhereData`),
    );
  }
  return { filter: selection.filter, spaceId: selection.spaceId, dataConditions };
}

/** Whether a Unit's data satisfies every data condition (true when there are none). */
export function unitDataMatches(
  data: string,
  toolchain: string,
  conditions: readonly DataCondition[],
): boolean {
  if (conditions.length === 0) return true;
  const match = matchDataConditions(data, toolchain as ToolchainType, conditions);
  return "matches" in match && match.matches;
}
