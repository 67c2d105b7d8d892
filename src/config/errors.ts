// The one catalogue of config-layer errors. Everything src/config rejects is a ConfigError with a
// stable `code` and whatever locates the problem: line/column in the Unit text (1-based), the index of
// the YAML document, the path expression and, for path syntax errors, the column inside the path.
// Callers (engine, functions, API) turn `message` into user-facing text as is, so each message names
// what was wrong and where.

/** Stable error codes (UPPER_SNAKE_CASE like every error family; docs/errors.md lists them). */
export const ConfigErrorCode = {
  /**
   * The YAML text does not parse (any `yaml` parse error that has no more specific code), or a
   * non-YAML toolchain's text does not (its NativeFormat's decode).
   */
  Syntax: "SYNTAX",
  /** A mapping repeats a key. */
  DuplicateKey: "DUPLICATE_KEY",
  /** A tab character is used for indentation. */
  TabIndent: "TAB_INDENT",
  /** The Unit text is larger than `maxBytes`. */
  TooLarge: "TOO_LARGE",
  /** Alias expansion exceeds `maxAliases` (a "billion laughs" document). */
  AliasLimit: "ALIAS_LIMIT",
  /** Collections are nested deeper than the parser safely supports. */
  TooDeep: "TOO_DEEP",
  /** The resource type or name of a document is missing. */
  Identity: "IDENTITY",
  /** The toolchain has no registered resource identity. */
  UnknownToolchain: "UNKNOWN_TOOLCHAIN",
  /** A path expression does not parse. */
  PathSyntax: "PATH_SYNTAX",
  /** A path expression is empty. */
  EmptyPath: "EMPTY_PATH",
  /** A path expression is longer than `MAX_PATH_LENGTH` (no real path is; parsing one costs time). */
  PathTooLong: "PATH_TOO_LONG",
  /** An array index is past the end of the array (arrays are never extended by a write). */
  OutOfBounds: "OUT_OF_BOUNDS",
  /** A non-integer segment addresses an array. */
  InvalidArrayIndex: "INVALID_ARRAY_INDEX",
  /** A path goes through, or a write targets, a node of the wrong kind (e.g. a key under a scalar). */
  UnexpectedNodeKind: "UNEXPECTED_NODE_KIND",
  /** A write would go through an alias, which would silently change every other use of its anchor. */
  AliasWrite: "ALIAS_WRITE",
  /** An accessor (`#name`) group is empty in the current value, so there is nothing to replace. */
  EmbeddedFieldNotFound: "EMBEDDED_FIELD_NOT_FOUND",
  /** A path names an accessor (`#name`) that is not known. */
  UnknownAccessor: "UNKNOWN_ACCESSOR",
  /** A value cannot be written (unsupported type, non-finite number, ...). */
  InvalidValue: "INVALID_VALUE",
  /** A document index is out of range for the document set. */
  DocumentIndex: "DOCUMENT_INDEX",
  /** Text given to append/insert/replace is not exactly one resource document. */
  InvalidDocument: "INVALID_DOCUMENT",
  /** A registered path's `%s` template got the wrong number of arguments. */
  Registry: "REGISTRY",
} as const;

export type ConfigErrorCode = (typeof ConfigErrorCode)[keyof typeof ConfigErrorCode];

/** Where a ConfigError happened; every field is optional because not every error has all of them. */
export interface ConfigErrorLocation {
  /** 1-based line in the Unit text (or in the document text for document-level operations). */
  line?: number;
  /** 1-based column, in UTF-16 code units. */
  column?: number;
  /** 0-based index of the YAML document in the Unit text (counting hidden, comment-only documents). */
  documentIndex?: number;
  /** The path expression being resolved or written. */
  path?: string;
  /** 1-based column inside `path` for path syntax errors. */
  pathColumn?: number;
  cause?: unknown;
}

export class ConfigError extends Error {
  readonly code: ConfigErrorCode;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly documentIndex: number | undefined;
  readonly path: string | undefined;
  readonly pathColumn: number | undefined;

  constructor(code: ConfigErrorCode, message: string, location: ConfigErrorLocation = {}) {
    super(message, location.cause === undefined ? undefined : { cause: location.cause });
    this.name = "ConfigError";
    this.code = code;
    this.line = location.line;
    this.column = location.column;
    this.documentIndex = location.documentIndex;
    this.path = location.path;
    this.pathColumn = location.pathColumn;
  }
}

/** True for a ConfigError, optionally with the given code. */
export function isConfigError(error: unknown, code?: ConfigErrorCode): error is ConfigError {
  return error instanceof ConfigError && (code === undefined || error.code === code);
}
