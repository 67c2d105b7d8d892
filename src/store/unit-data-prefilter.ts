// where_data in the database: a `where_data` condition as a condition on `units.data_json`, which
// narrows the Units before they are read and parsed. It keeps every Unit the exact in-process
// check could keep (the path only says "may match", see src/filter/where-data/jsonpath.ts), and
// every Unit whose stored values are unknown (NULL). The path text and its values are bound
// parameters; `silent` makes a path error on odd data a non-match of that value, never a failed query.
import { sql, type Expression, type SqlBool } from "kysely";
import { whereDataJsonPath, type PreparedWhereData } from "../filter/index.ts";
import { json } from "./json.ts";

/** The pre-filter of one `where_data` on resources of `resourceType`, or undefined if it keeps every Unit. */
export function unitDataPrefilter(
  whereData: PreparedWhereData,
  resourceType: string,
): Expression<SqlBool> | undefined {
  const translated = whereDataJsonPath(whereData, resourceType);
  if (translated === undefined) return undefined;
  return sql<SqlBool>`(units.data_json is null or jsonb_path_exists(units.data_json, ${translated.path}::jsonpath, ${json(translated.vars)}::jsonb, true))`;
}
