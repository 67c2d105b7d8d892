// Text -> PathExpression through grammar/path.peggy. Parsed paths are cached: functions resolve the
// same few paths in every Unit of an invocation, and the nodes are immutable so sharing is safe.
import { loadGrammar } from "../../grammar.ts";
import { ConfigError, ConfigErrorCode } from "../errors.ts";
import { pathNodes, type PathExpression } from "./ast.ts";

type PathParser = (
  input: string,
  options: { startRule?: string; nodes: typeof pathNodes },
) => PathExpression | { path: PathExpression; length: number };

interface PeggySyntaxError extends Error {
  location: { start: { offset: number; column: number } };
  expected: unknown[] | null;
}

function isPeggySyntaxError(error: unknown): error is PeggySyntaxError {
  return error instanceof Error && error.name === "SyntaxError" && "location" in error;
}

function parser(): PathParser {
  return loadGrammar("path").parse as unknown as PathParser;
}

function syntaxError(path: string, error: PeggySyntaxError, columnShift: number): ConfigError {
  const column = error.location.start.column + columnShift;
  // peggy's own message lists what it expected; messages from error() in the grammar are final.
  const reason = error.expected ? error.message.replace(/^Expected/, "expected") : error.message;
  return new ConfigError(
    ConfigErrorCode.PathSyntax,
    `invalid path ${JSON.stringify(path)} at column ${column}: ${reason}`,
    {
      path,
      pathColumn: column,
      cause: error,
    },
  );
}

/**
 * The longest path expression accepted, in characters. Real paths are a few hundred characters at
 * most; a path argument of hundreds of kilobytes would hold the event loop while it is parsed and
 * resolved, for every Unit of an invocation.
 */
export const MAX_PATH_LENGTH = 4096;

const cache = new Map<string, PathExpression>();
const CACHE_LIMIT = 2048;

/**
 * Parses a path expression (spec §1.1): `a.b.0`, `*`, `*?k`, `*?k:p`, `*@:p`, `?k=v`, `?k:p=v`,
 * `@key:p`, `|key`, `"quoted.key"`, a `#accessor` suffix, and the escapes `~0` `~1` `~2`.
 * @throws ConfigError `EMPTY_PATH` for a path without segments, `PATH_TOO_LONG` for one over
 *   MAX_PATH_LENGTH characters, `PATH_SYNTAX` (with `pathColumn`) for anything else that does not parse.
 */
export function parsePath(path: string): PathExpression {
  const cached = cache.get(path);
  if (cached) return cached;
  if (path.length > MAX_PATH_LENGTH) {
    throw new ConfigError(
      ConfigErrorCode.PathTooLong,
      `invalid path ${JSON.stringify(path.slice(0, 40))}...: it is ${path.length} characters long, more than the limit of ${MAX_PATH_LENGTH}`,
      { path: path.slice(0, MAX_PATH_LENGTH) },
    );
  }
  let expression: PathExpression;
  try {
    expression = parser()(path, { startRule: "Path", nodes: pathNodes }) as PathExpression;
  } catch (error) {
    if (isPeggySyntaxError(error)) throw syntaxError(path, error, 0);
    throw error;
  }
  if (expression.segments.length === 0) {
    throw new ConfigError(
      ConfigErrorCode.EmptyPath,
      `invalid path ${JSON.stringify(path)}: the path is empty`,
      {
        path,
      },
    );
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(path, expression);
  return expression;
}

/**
 * Parses the where-filter form of a path (spec §1.5) at `offset` in `input` and says where it ends,
 * so a filter parser can go on with the operator: `{ path, end }` with `end` an offset in `input`.
 * Keys start with a letter; an associative value stops at whitespace and operator characters.
 * @throws ConfigError `PATH_SYNTAX` whose `pathColumn` is 1-based in `input`.
 */
export function parsePathPrefix(input: string, offset = 0): { path: PathExpression; end: number } {
  const rest = offset === 0 ? input : input.slice(offset);
  try {
    const result = parser()(rest, { startRule: "PathPrefix", nodes: pathNodes }) as {
      path: PathExpression;
      length: number;
    };
    return { path: result.path, end: offset + result.length };
  } catch (error) {
    if (isPeggySyntaxError(error)) throw syntaxError(input, error, offset);
    throw error;
  }
}
