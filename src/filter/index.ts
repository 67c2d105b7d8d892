// Public API of the filter languages:
// - `where` over entity attributes: compileWhere (kysely SQL, parameterised) or prepareWhere +
//   matchesWhere (in memory), per entity catalogue; `contains` free-text search (a regex filter
//   runs under the store's statement timeout: src/store/filter-bounds.ts);
// - `where_data` over config data: prepareWhereData + evaluateWhereData on a Unit's documents;
// - Kubernetes quantities (parse, compare, multiply, canonical format);
// - compileRe2: user regexes with RE2 semantics (linear time), for the functions that take one;
// - FilterError, the one error type of all of them (a 400 with `message`), and FilterFieldError:
//   one with the input it came from.
export { FilterError, FilterErrorCode, isFilterError } from "./errors.ts";
export type { FilterErrorInit, FilterLanguage, FilterPosition } from "./errors.ts";
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
export {
  evaluateWhereData,
  MAX_WHERE_DATA_LENGTH,
  parseWhereData,
  prepareWhereData,
} from "./where-data/index.ts";
export type {
  PreparedWhereData,
  WhereDataDocument,
  WhereDataDocumentSet,
  WhereDataNode,
  WhereDataOptions,
  WhereDataResult,
} from "./where-data/index.ts";
export {
  compareQuantities,
  formatQuantity,
  multiplyQuantity,
  parseQuantity,
  quantityToNumber,
} from "./quantity.ts";
export type { Quantity, QuantityFormat } from "./quantity.ts";
export { compileRe2, type SafeRegex } from "./regex/re2.ts";
export { nearestName } from "./suggest.ts";
