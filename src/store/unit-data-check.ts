// Whether a Unit's new data is config data of its toolchain, and if so its derived columns, from one
// parse: the check every create and update makes before a write. Data of a toolchain functions run
// on goes through the config layer's parser with its default limits, the very parse the engine does
// later, so data accepted here never fails to parse when a function runs; data of other toolchains
// (AppConfig/INI, ...) is stored as text, unchecked. A problem comes back worded for the API (the
// field, then `document N, line L, column C: reason` for YAML, or the native text's position).
// An entry point of its own, like unit-data-columns.ts: an engine thread runs it for large data,
// so that its parse never holds the main thread (src/api/unit-data.ts decides where it runs).
import { YAMLError } from "yaml";
import {
  ConfigErrorCode,
  isConfigError,
  isToolchainType,
  parseConfig,
  type ConfigDocumentSet,
  type ConfigError,
} from "../config/index.ts";
import { unitDataColumns, type UnitDataColumns } from "./unit-data-columns.ts";

export type UnitDataCheck = { readonly columns: UnitDataColumns } | { readonly problem: string };

export function checkUnitData(text: string, toolchainType: string, field: string): UnitDataCheck {
  let parsed: ConfigDocumentSet | undefined;
  if (isToolchainType(toolchainType)) {
    try {
      parsed = parseConfig(text, { toolchain: toolchainType });
    } catch (error) {
      if (!isConfigError(error)) throw error;
      return {
        problem:
          toolchainType === "Kubernetes/YAML"
            ? yamlProblem(error, field)
            : nativeProblem(error, field, toolchainType),
      };
    }
  }
  return { columns: unitDataColumns(text, toolchainType, parsed) };
}

// `line L, column C: reason` in the native text (the format's message names the position too).
function nativeProblem(error: ConfigError, field: string, toolchainType: string): string {
  const verdict = LIMIT_CODES.has(error.code) ? "is not accepted" : `is not valid ${toolchainType}`;
  // Some formats' messages name the position themselves (`invalid HCL at line 3, column 1: ...`).
  if (error.line === undefined || error.message.includes(`line ${error.line}`)) {
    return `${field} ${verdict}: ${error.message}`;
  }
  const where =
    error.column === undefined ? `line ${error.line}` : `line ${error.line}, column ${error.column}`;
  return `${field} ${verdict}: ${where}: ${error.message}`;
}

const LIMIT_CODES: ReadonlySet<string> = new Set([
  ConfigErrorCode.TooLarge,
  ConfigErrorCode.TooDeep,
  ConfigErrorCode.AliasLimit,
]);

// `document N, line L, column C: reason`, with the `yaml` package's own wording of a parse error
// when it has one (its message without the position it repeats).
function yamlProblem(error: ConfigError, field: string): string {
  if (error.line === undefined) return `${field} is not valid config data: ${error.message}`;
  const document = `document ${(error.documentIndex ?? 0) + 1}`;
  const where =
    error.column === undefined ? `line ${error.line}` : `line ${error.line}, column ${error.column}`;
  const reason =
    error.cause instanceof YAMLError
      ? (error.cause.message.split("\n", 1)[0] ?? error.cause.message).replace(
          / at line \d+, column \d+:?$/,
          "",
        )
      : error.message
          .replace(/ at line \d+, column \d+ \(document \d+\)$/, "")
          .replace(/^document \d+ \(line \d+\) /, "")
          .replace(/^invalid YAML: /, "");
  // A limit is not a syntax error: the text may be valid YAML that confn will not take.
  const verdict = LIMIT_CODES.has(error.code) ? "is not accepted" : "is not valid YAML";
  return `${field} ${verdict}: ${document}, ${where}: ${reason}`;
}
