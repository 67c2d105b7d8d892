// Stage 1 of `where_data`: text -> syntax tree (grammar/where-data.peggy, with paths parsed by the
// shared path grammar's where-filter rule).
import { isConfigError, type ConfigError, parsePathPrefix } from "../../config/index.ts";
import { loadGrammar } from "../../grammar.ts";
import { checkExpressionLength } from "../expression-length.ts";
import { FilterError, FilterErrorCode, quote } from "../errors.ts";
import { fromPeggyError, isPeggySyntaxError } from "../syntax-error.ts";
import { dataOperatorSpellings, whereDataNodes, type WhereDataNode } from "./ast.ts";

/** The same limit as `where` (ConfigHub's 4096 characters for a filter). */
export const MAX_WHERE_DATA_LENGTH = 4096;

interface ParseOptions {
  nodes: typeof whereDataNodes;
  operators: typeof dataOperatorSpellings;
  parsePathPrefix: typeof parsePathPrefix;
  isPathError: (error: unknown) => boolean;
  paths: Map<number, ReturnType<typeof parsePathPrefix>>;
  pathErrors: Map<number, ConfigError>;
}

type WhereDataParser = (input: string, options: ParseOptions) => WhereDataNode;

export function parseWhereData(source: string): WhereDataNode {
  checkExpressionLength("where_data", source, MAX_WHERE_DATA_LENGTH);
  const parse = loadGrammar("where-data").parse as unknown as WhereDataParser;
  const pathErrors = new Map<number, ConfigError>();
  try {
    return parse(source, {
      nodes: whereDataNodes,
      operators: dataOperatorSpellings,
      parsePathPrefix,
      isPathError: isConfigError,
      paths: new Map(),
      pathErrors,
    });
  } catch (error) {
    if (!isPeggySyntaxError(error)) throw error;
    const offset = error.location.start.offset;
    const pathError = pathErrors.get(offset);
    if (pathError && error.expected !== null) throw invalidPath(source, offset, pathError);
    throw fromPeggyError(error, {
      language: "where_data",
      source,
      custom: {
        "unterminated string literal": {
          code: FilterErrorCode.UnterminatedString,
          hint: "end it with a single quote; write a quote inside a string as ''",
        },
        "integer out of range": {
          code: FilterErrorCode.IntegerRange,
          hint: "integers have at most 15 digits",
        },
      },
    });
  }
}

/** The shared path grammar's verdict, pointed at the offending spot of the whole expression. */
function invalidPath(source: string, offset: number, error: ConfigError): FilterError {
  const column = error.pathColumn;
  const at = column === undefined ? offset : Math.max(offset, column - 1);
  const token = /^[^\s=!<>~]*/.exec(source.slice(offset))?.[0] ?? "";
  // "invalid path "<text>" at column N: <reason>" -> the reason alone.
  const reason = /: (.*)$/s.exec(error.message)?.[1] ?? error.message;
  return new FilterError({
    code: FilterErrorCode.InvalidPath,
    language: "where_data",
    source,
    offset: at,
    length: Math.max(1, offset + token.length - at),
    problem: token ? `invalid path ${quote(token)}` : "missing path",
    hint: reason,
  });
}
