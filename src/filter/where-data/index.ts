// `where_data`: parse (grammar/where-data.peggy + the shared path grammar) -> prepare (operators
// checked, regexes and LIKE patterns compiled) -> evaluate against a Unit's documents; jsonpath.ts
// translates what the database can decide into a pre-filter over the Units' stored values.
export { evaluateWhereData } from "./evaluate.ts";
export type {
  WhereDataDocument,
  WhereDataDocumentSet,
  WhereDataOptions,
  WhereDataResult,
} from "./evaluate.ts";
export { prepareWhereData } from "./prepare.ts";
export { whereDataJsonPath, type WhereDataJsonPath } from "./jsonpath.ts";
export type { PreparedRelation, PreparedWhereData, ValueTest } from "./prepare.ts";
export { MAX_WHERE_DATA_LENGTH, parseWhereData } from "./parse.ts";
export * from "./ast.ts";
