// Public API of the filter languages:
// - `where` over entity attributes: compileWhere (kysely SQL, parameterised) or prepareWhere +
//   matchesWhere (in memory), per entity catalogue; `contains` free-text search (a regex filter
//   runs under the store's statement timeout: src/store/filter-bounds.ts);
// - `where_data` over config data: prepareWhereData + evaluateWhereData on a Unit's documents;
// - Kubernetes quantities (parse, compare, multiply, canonical format);
// - compileRe2: user regexes with RE2 semantics (linear time), for the functions that take one;
// - FilterError, the one error type of all of them (a 400 with `message`), and FilterFieldError:
//   one with the input it came from.
export { checkFilterField, FilterFieldError } from "./field-error.ts";
export * from "./catalogue/index.ts";
export {
  compileWhere,
  containsToSql,
  evaluateContains,
  evaluateWhere,
  matchesWhere,
  MAX_WHERE_LENGTH,
  parseWhere,
  prepareWhere,
  toSqlExpression,
} from "./where/index.ts";
export type { CheckedWhere, CompiledWhere, SqlOptions, WhereNode } from "./where/index.ts";
export { listFilters, MAX_CONTAINS_LENGTH } from "./list-filters.ts";
export { listQuerySchema } from "./list-query-schema.ts";
export type { ListFilterQuery, ListFilters } from "./list-filters.ts";
// where_data's database pre-filter (a SQL/JSON path the store runs over the Units' stored values).
export { whereDataJsonPath, type WhereDataJsonPath } from "./where-data/index.ts";
// where_data, quantities, RE2 and suggestions: the in-memory entry point, which the function
// library and the local CLI import without the SQL compiler.
export * from "./in-memory.ts";
