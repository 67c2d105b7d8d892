// The `units.data_json` value: the plain values of a Unit's documents as a JSON array, exactly what
// the where_data evaluator reads (each document's `toJS()`, the documents `parseConfig` keeps), so
// the database's pre-filter (src/filter/where-data/jsonpath.ts) sees the same values. NULL stands
// for "unknown", and such a Unit always passes the pre-filter: data of another toolchain than
// Kubernetes/YAML (their YAML views are not stored), data that does not parse (the exact check
// then reports it), and values PostgreSQL's jsonb cannot hold (a NUL or a lone surrogate in a
// string, which YAML escapes can produce).
import { isConfigError, parseConfig, type ConfigDocumentSet } from "../config/index.ts";

const STORED_TOOLCHAIN = "Kubernetes/YAML";

// JSON.stringify writes NUL as \u0000 and a lone surrogate as \udXXX; jsonb refuses both. (A
// backslash written before such text in a string also matches: that Unit is merely left unknown.)
const UNSTORABLE = /\\u(?:0000|d[89a-f])/i;

/**
 * `parsed`: documents whose text is `data`, when the caller holds them (the engine's, after the
 * functions edited them): their values are read instead of parsing `data` again, whenever they are
 * certainly what a parse would give (ConfigDocumentSet.parsedValues).
 */
export function unitDataJson(data: string, toolchainType: string, parsed?: ConfigDocumentSet): string | null {
  if (toolchainType !== STORED_TOOLCHAIN) return null;
  let values = parsedValues(data, parsed);
  if (!values) {
    try {
      values = parseConfig(data, { toolchain: STORED_TOOLCHAIN }).documents.map((document) =>
        document.toJS(),
      );
    } catch (error) {
      if (isConfigError(error)) return null;
      throw error;
    }
  }
  const text = JSON.stringify(values);
  return UNSTORABLE.test(text) ? null : text;
}

function parsedValues(data: string, parsed: ConfigDocumentSet | undefined): unknown[] | undefined {
  if (!parsed || parsed.toolchain !== STORED_TOOLCHAIN || parsed.toString() !== data) return undefined;
  return parsed.parsedValues();
}
