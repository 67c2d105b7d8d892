// Turns a peggy syntax error into a FilterError that quotes the offending token and says what was
// expected, with hints for the usual slips (lower-case keywords, OR, parentheses).
import { FilterError, FilterErrorCode, quote, type FilterLanguage } from "./errors.ts";

interface PeggyExpectation {
  readonly type: string;
  readonly text?: string;
  readonly description?: string;
}

interface PeggySyntaxError {
  readonly message: string;
  readonly expected: readonly PeggyExpectation[] | null;
  readonly location: {
    readonly start: { readonly offset: number };
    readonly end: { readonly offset: number };
  };
}

export function isPeggySyntaxError(error: unknown): error is PeggySyntaxError {
  return (
    error instanceof Error &&
    error.name === "SyntaxError" &&
    "location" in error &&
    "expected" in error &&
    typeof (error as { location?: unknown }).location === "object"
  );
}

const KEYWORDS = ["AND", "LIKE", "ILIKE", "NOT", "IN", "IS", "NULL", "TRUE", "FALSE", "LEN"];

export interface SyntaxErrorOptions {
  readonly language: FilterLanguage;
  readonly source: string;
  /** Messages raised by `error()` in the grammar, mapped to codes and hints. */
  readonly custom?: Readonly<Record<string, { code: FilterErrorCode; hint?: string }>>;
}

export function fromPeggyError(error: PeggySyntaxError, options: SyntaxErrorOptions): FilterError {
  const { source, language } = options;
  const start = error.location.start.offset;
  if (error.expected === null) {
    // Raised by error() in the grammar: the location covers the offending text.
    const length = error.location.end.offset - start;
    const custom = options.custom?.[error.message];
    return new FilterError({
      code: custom?.code ?? FilterErrorCode.Syntax,
      language,
      source,
      offset: start,
      length,
      problem: `${error.message} ${source.slice(start, start + Math.min(length, 60))}`,
      ...(custom?.hint ? { hint: custom.hint } : {}),
    });
  }
  const token = tokenAt(source, start);
  const hints: string[] = [];
  const expected = describeExpectations(error.expected);
  if (expected) hints.push(`expected ${expected}`);
  const upper = token.toUpperCase();
  if (token !== upper && KEYWORDS.includes(upper)) hints.push(`keywords are upper case: ${upper}`);
  // where_data reads `OR` as a path, so the slip shows up one token later.
  if (upper === "OR" || /(^|\s)OR\s+$/i.test(source.slice(0, start)))
    hints.push("only AND can join conditions");
  if (token === "(" && !expected?.includes("'('")) hints.push("parentheses are not supported");
  return new FilterError({
    code: FilterErrorCode.Syntax,
    language,
    source,
    offset: start,
    length: token.length,
    problem: token ? `unexpected ${quote(token)}` : "unexpected end of expression",
    ...(hints.length > 0 ? { hint: hints.join("; ") } : {}),
  });
}

/** The token starting at `offset`: a word, a quoted string, a run of operator characters, or one character. */
function tokenAt(source: string, offset: number): string {
  const rest = source.slice(offset);
  const match =
    /^[A-Za-z0-9_][A-Za-z0-9_.\-/]*/.exec(rest) ??
    /^'(?:[^']|'')*'?/.exec(rest) ??
    /^[<>=!~?*]+/.exec(rest) ??
    /^[\s\S]/u.exec(rest);
  return match ? match[0].slice(0, 80) : "";
}

function describeExpectations(expected: readonly PeggyExpectation[]): string | undefined {
  const names: string[] = [];
  for (const e of expected) {
    let name: string | undefined;
    if (e.type === "other") name = e.description;
    else if (e.type === "literal") name = /^[A-Z]+$/.test(e.text ?? "") ? e.text : `'${e.text}'`;
    else if (e.type === "end") name = "end of expression";
    if (name && name !== "whitespace" && !names.includes(name)) names.push(name);
  }
  if (names.length === 0) return undefined;
  if (names.length === 1) return names[0];
  return `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
}
