// The `where` and `contains` parameters of a list endpoint, turned into conditions for the store's
// list query: blank parameters mean no condition; `contains` is AND-ed with `where`. Run the query
// through the store's withFilterBounds(db, filters, ...) so a regex gets its statement timeout.
import type { Expression, SqlBool } from "kysely";
import type { Catalogue } from "./catalogue/index.ts";
import { FilterError, FilterErrorCode } from "./errors.ts";
import { checkNoNulCharacter } from "./nul-character.ts";
import { compileWhere, containsToSql, type SqlOptions } from "./where/index.ts";

/** The longest `contains` text: a search term, not a document. */
export const MAX_CONTAINS_LENGTH = 1024;

export interface ListFilterQuery {
  readonly where?: string | undefined;
  readonly contains?: string | undefined;
}

export interface ListFilters {
  /** AND-ed conditions over the catalogue's table. */
  readonly filters: readonly Expression<SqlBool>[];
  readonly usesRegex: boolean;
  /** The `where` text, quoted in errors raised while the query runs. */
  readonly source: string;
}

/** @throws FilterError for a `where` that does not parse or check, or an over-long `contains` or one holding a NUL. */
export function listFilters(
  catalogue: Catalogue,
  query: ListFilterQuery,
  options: SqlOptions = {},
): ListFilters {
  const filters: Expression<SqlBool>[] = [];
  let usesRegex = false;
  const where = query.where ?? "";
  if (where.trim() !== "") {
    const compiled = compileWhere(where, catalogue, options);
    filters.push(compiled.expression);
    usesRegex = compiled.usesRegex;
  }
  const contains = query.contains ?? "";
  if (contains.length > MAX_CONTAINS_LENGTH) {
    throw new FilterError({
      code: FilterErrorCode.TooLong,
      language: "contains",
      source: contains,
      problem: `text is ${contains.length} characters long`,
      hint: `the limit is ${MAX_CONTAINS_LENGTH}`,
    });
  }
  checkNoNulCharacter("contains", contains);
  if (contains !== "") filters.push(containsToSql(contains, catalogue, options));
  return Object.freeze({ filters: Object.freeze(filters), usesRegex, source: where });
}
