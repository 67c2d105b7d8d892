// The one catalogue of filter errors. Every problem with a `where`, `where_data` or `contains`
// expression is a FilterError with a stable `code`, the position of the offending text (1-based line
// and column, 0-based offset) and a message that quotes it, in the style of the `yaml` package's
// errors. The API turns any FilterError into a 400 whose Message is `error.message`.

export type FilterLanguage = "where" | "where_data" | "contains";

/** Stable error codes; the value doubles as documentation of what went wrong. */
export const FilterErrorCode = {
  Syntax: "FILTER_SYNTAX",
  UnterminatedString: "FILTER_UNTERMINATED_STRING",
  TooLong: "FILTER_TOO_LONG",
  UnknownAttribute: "FILTER_UNKNOWN_ATTRIBUTE",
  UnsupportedAttribute: "FILTER_UNSUPPORTED_ATTRIBUTE",
  NotAMap: "FILTER_NOT_A_MAP",
  OperatorType: "FILTER_OPERATOR_TYPE",
  LiteralType: "FILTER_LITERAL_TYPE",
  OperandTypes: "FILTER_OPERAND_TYPES",
  InvalidUuid: "FILTER_INVALID_UUID",
  InvalidTime: "FILTER_INVALID_TIME",
  IntegerRange: "FILTER_INTEGER_RANGE",
  InvalidLike: "FILTER_INVALID_LIKE",
  InvalidRegex: "FILTER_INVALID_REGEX",
  UnsupportedRegex: "FILTER_UNSUPPORTED_REGEX",
  RegexTooComplex: "FILTER_REGEX_TOO_COMPLEX",
  InvalidPath: "FILTER_INVALID_PATH",
  Timeout: "FILTER_TIMEOUT",
  NulCharacter: "FILTER_NUL_CHARACTER",
} as const;

export type FilterErrorCode = (typeof FilterErrorCode)[keyof typeof FilterErrorCode];

/** Where the offending text sits in the expression. */
export interface FilterPosition {
  /** 0-based offset into the expression. */
  readonly offset: number;
  /** Length of the offending text (0 at the end of the input). */
  readonly length: number;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column (in UTF-16 code units, like every JS string index). */
  readonly column: number;
}

export interface FilterErrorInit {
  readonly code: FilterErrorCode;
  readonly language: FilterLanguage;
  /** The whole expression, used to compute line and column. */
  readonly source: string;
  /** Where the problem is; omitted for problems of the whole expression (e.g. a timeout). */
  readonly offset?: number;
  readonly length?: number;
  /** What went wrong, quoting the offending text: `unknown attribute 'Lables'`. */
  readonly problem: string;
  /** Extra help shown in parentheses: `did you mean 'Labels'?`. */
  readonly hint?: string;
  /** The nearest valid name, when the problem is a misspelling. */
  readonly suggestion?: string;
}

export class FilterError extends Error {
  override readonly name = "FilterError";
  readonly code: FilterErrorCode;
  readonly language: FilterLanguage;
  /** The offending text, exactly as written (empty at the end of the input or for whole-expression problems). */
  readonly text: string;
  readonly position: FilterPosition | undefined;
  readonly suggestion: string | undefined;

  constructor(init: FilterErrorInit) {
    const position =
      init.offset === undefined ? undefined : positionOf(init.source, init.offset, init.length ?? 0);
    super(formatMessage(init, position));
    this.code = init.code;
    this.language = init.language;
    this.position = position;
    this.text = position ? init.source.slice(position.offset, position.offset + position.length) : "";
    this.suggestion = init.suggestion;
  }

  /** 1-based column of the offending text, or undefined for whole-expression problems. */
  get column(): number | undefined {
    return this.position?.column;
  }
}

export function isFilterError(error: unknown): error is FilterError {
  return error instanceof FilterError;
}

function formatMessage(init: FilterErrorInit, position: FilterPosition | undefined): string {
  let where = "";
  if (position) {
    // Most filters are one line; only name the line when there is more than one.
    where = init.source.includes("\n")
      ? ` at line ${position.line}, column ${position.column}`
      : ` at column ${position.column}`;
  }
  const hint = init.hint ? ` (${init.hint})` : "";
  return `${init.language}: ${init.problem}${where}${hint}`;
}

function positionOf(source: string, offset: number, length: number): FilterPosition {
  const at = Math.max(0, Math.min(offset, source.length));
  const before = source.slice(0, at);
  const lastNewline = before.lastIndexOf("\n");
  const line = before.split("\n").length;
  return {
    offset: at,
    length: Math.max(0, Math.min(length, source.length - at)),
    line,
    column: at - lastNewline,
  };
}

/** Quotes user text for a message: single quotes, long text shortened, control characters made visible. */
export function quote(text: string, max = 60): string {
  const shown = text.length > max ? `${text.slice(0, max)}…` : text;
  let out = "";
  for (const char of shown) {
    const code = char.charCodeAt(0);
    out += code < 0x20 || code === 0x7f ? `\\u${code.toString(16).padStart(4, "0")}` : char;
  }
  return `'${out}'`;
}
