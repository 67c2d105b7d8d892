// The data side of the selection: whether a Unit's config data satisfies every `where_data` /
// `resource_type` condition (the request's and its Filter's). The data is parsed once for all of
// them, and the parsed documents go on to the engine (ExecuteRequest.documents), which then does not
// parse them again; data that does not parse matches nothing and says why, so the caller can report it.
import { isConfigError, parseConfig, type ConfigDocumentSet } from "../config/index.ts";
import type { ToolchainType } from "../engine/index.ts";
import { evaluateWhereData, isFilterError } from "../filter/in-memory.ts";
import type { DataCondition } from "./selection.ts";

export type DataMatch =
  | {
      readonly matches: boolean;
      /** The parsed data, when there were conditions to check (the engine reuses it). */
      readonly documents?: ConfigDocumentSet;
    }
  | { readonly error: string };

export function matchDataConditions(
  data: string,
  toolchain: ToolchainType,
  conditions: readonly DataCondition[],
): DataMatch {
  if (conditions.length === 0) return { matches: true };
  try {
    const documents = parseConfig(data, { toolchain });
    const matches = conditions.every(
      (condition) =>
        evaluateWhereData(condition.whereData, documents, { resourceType: condition.resourceType }).matched,
    );
    return { matches, documents };
  } catch (error) {
    if (isConfigError(error)) return { error: `configuration data parsing error: ${error.message}` };
    if (isFilterError(error)) return { error: error.message };
    throw error;
  }
}
