// The filter layer's second public entry point: what runs in memory, without the SQL compiler and
// so without kysely — where_data on a Unit's documents, Kubernetes quantities, RE2 regexes, name
// suggestions and the filter errors. The function library and the local CLI import this one, so
// `confn do` does not load a database query builder (issue 16 §1: start-up cost). index.ts
// exports all of it too.
export { FilterError, FilterErrorCode, isFilterError } from "./errors.ts";
export type { FilterErrorInit, FilterLanguage, FilterPosition } from "./errors.ts";
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
