// `where`: parse (grammar/where.peggy) -> check against an entity's attribute catalogue -> either a
// kysely expression for SQL or an in-memory evaluation. Every failure is a FilterError (a 400).
import type { Expression, SqlBool } from "kysely";
import type { Catalogue } from "../catalogue/index.ts";
import { checkWhere } from "./check.ts";
import type { CheckedWhere } from "./checked.ts";
import { toSqlExpression, type SqlOptions } from "./compile-sql.ts";
import { evaluateWhere } from "./evaluate.ts";
import { parseWhere } from "./parse.ts";

export interface CompiledWhere {
  readonly checked: CheckedWhere;
  /** For `.where(...)` on a query over the catalogue's table. */
  readonly expression: Expression<SqlBool>;
  /** Pass the CompiledWhere to the store's withFilterBounds: a regex filter needs a statement timeout. */
  readonly usesRegex: boolean;
}

/** Parses and checks `source` for one entity type; use it with evaluateWhere or toSqlExpression. */
export function prepareWhere(source: string, catalogue: Catalogue): CheckedWhere {
  return checkWhere(parseWhere(source), catalogue, source);
}

/** Parses, checks and compiles `source` into a parameterised SQL condition over `catalogue.table`. */
export function compileWhere(source: string, catalogue: Catalogue, options: SqlOptions = {}): CompiledWhere {
  const checked = prepareWhere(source, catalogue);
  return Object.freeze({
    checked,
    expression: toSqlExpression(checked, options),
    usesRegex: checked.usesRegex,
  });
}

/** Whether one entity (its JSON form) matches `source`; prepare once with prepareWhere for many entities. */
export function matchesWhere(filter: string | CheckedWhere, catalogue: Catalogue, entity: unknown): boolean {
  const checked = typeof filter === "string" ? prepareWhere(filter, catalogue) : filter;
  return evaluateWhere(checked, entity);
}

export { MAX_WHERE_LENGTH, parseWhere } from "./parse.ts";
export { toSqlExpression } from "./compile-sql.ts";
export type { SqlOptions } from "./compile-sql.ts";
export { evaluateWhere } from "./evaluate.ts";
export { containsToSql, evaluateContains } from "./contains.ts";
export type { CheckedWhere, Literal, Predicate, ValueRef } from "./checked.ts";
export * from "./ast.ts";
