// A TOML 1.0 parser that keeps every byte: statements (key/values, [table] and [[array]] headers)
// and values carry the offsets of their text, so an edit rewrites only what changed and untouched text
// (comments, blank lines, spacing, quoting, number bases) is copied through. Meaning (which table a
// key lands in, duplicates) is worked out by toml-model.ts; this file is the syntax alone.
//
// A hand-written scanner rather than a library: no npm TOML package both edits losslessly and keeps
// each value's style (string kind, integer base, date type) when a value changes.
import { ConfigError, ConfigErrorCode } from "../../errors.ts";

export type StringStyle = "basic" | "literal" | "ml-basic" | "ml-literal";
export type DateTimeKind = "offset-date-time" | "local-date-time" | "local-date" | "local-time";

export interface Span {
  /** Offset of the first character. */
  readonly start: number;
  /** Offset just past the last character. */
  readonly end: number;
}

export type ScalarNode = Span &
  (
    | { readonly type: "string"; readonly style: StringStyle; readonly value: string }
    | { readonly type: "integer"; readonly base: 2 | 8 | 10 | 16; readonly value: number | bigint }
    | { readonly type: "float"; readonly value: number }
    | { readonly type: "boolean"; readonly value: boolean }
    | { readonly type: "datetime"; readonly kind: DateTimeKind; readonly value: string }
  );

export interface ArrayNode extends Span {
  readonly type: "array";
  readonly items: readonly ValueNode[];
}

export interface InlineEntry extends Span {
  readonly keys: readonly string[];
  readonly value: ValueNode;
}

export interface InlineTableNode extends Span {
  readonly type: "inline-table";
  readonly entries: readonly InlineEntry[];
}

export type ValueNode = ScalarNode | ArrayNode | InlineTableNode;

export interface KeyValueStatement {
  readonly type: "key-value";
  readonly keys: readonly string[];
  /** Offset of the first key. */
  readonly start: number;
  /** Offset of the start of the statement's first line. */
  readonly lineStart: number;
  /** Offset just past the statement's last line break (or the end of the text). */
  readonly lineEnd: number;
  readonly value: ValueNode;
}

export interface HeaderStatement {
  readonly type: "table" | "array-table";
  readonly keys: readonly string[];
  readonly start: number;
  readonly lineStart: number;
  readonly lineEnd: number;
}

export type Statement = KeyValueStatement | HeaderStatement;

export interface TomlSyntax {
  readonly statements: readonly Statement[];
  /** The line break the file uses (`\r\n` when its first line break is one). */
  readonly newline: string;
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** A ConfigError of `code` at `offset` of `text`, its message naming line and column. */
export function tomlError(code: ConfigErrorCode, text: string, offset: number, what: string): ConfigError {
  const { line, column } = lineColumn(text, offset);
  const prefix = code === ConfigErrorCode.Syntax ? "invalid TOML: " : "";
  return new ConfigError(code, `${prefix}${what} at line ${line}, column ${column}`, { line, column });
}

const BARE_KEY = /[A-Za-z0-9_-]+/y;
const VALUE_TOKEN = /[0-9A-Za-z_:.+-]+/y;
const TIME_AFTER_SPACE = / \d{2}:\d{2}/y;

const DATE = String.raw`\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])`;
const TIME = String.raw`([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?`;
const OFFSET = String.raw`([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)`;
const dateTimeForms: readonly [DateTimeKind, RegExp][] = [
  ["offset-date-time", new RegExp(`^${DATE}[Tt ]${TIME}${OFFSET}$`)],
  ["local-date-time", new RegExp(`^${DATE}[Tt ]${TIME}$`)],
  ["local-date", new RegExp(`^${DATE}$`)],
  ["local-time", new RegExp(`^${TIME}$`)],
];

/** The TOML date/time kind `text` is written in, if it is one. */
export function dateTimeKind(text: string): DateTimeKind | undefined {
  for (const [kind, form] of dateTimeForms) if (form.test(text)) return kind;
  return undefined;
}

const DEC_INT = /^[+-]?(0|[1-9](_?\d)*)$/;
const HEX_INT = /^0x[0-9A-Fa-f](_?[0-9A-Fa-f])*$/;
const OCT_INT = /^0o[0-7](_?[0-7])*$/;
const BIN_INT = /^0b[01](_?[01])*$/;
const FLOAT = /^[+-]?(0|[1-9](_?\d)*)(\.\d(_?\d)*([eE][+-]?\d(_?\d)*)?|[eE][+-]?\d(_?\d)*)$/;
const SPECIAL_FLOAT = /^[+-]?(inf|nan)$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const escapes: Readonly<Record<string, string>> = {
  b: "\b",
  t: "\t",
  n: "\n",
  f: "\f",
  r: "\r",
  '"': '"',
  "\\": "\\",
};

function isControl(code: number): boolean {
  return (code <= 0x1f && code !== 0x09) || code === 0x7f;
}

class Parser {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  private fail(what: string, at: number = this.pos): ConfigError {
    return tomlError(ConfigErrorCode.Syntax, this.text, at, what);
  }

  private skipBlank(): void {
    while (this.text[this.pos] === " " || this.text[this.pos] === "\t") this.pos += 1;
  }

  private atLineBreak(): boolean {
    return this.text[this.pos] === "\n" || this.text.startsWith("\r\n", this.pos);
  }

  private skipComment(): void {
    if (this.text[this.pos] !== "#") return;
    this.pos += 1;
    while (this.pos < this.text.length && !this.atLineBreak()) {
      const code = this.text.charCodeAt(this.pos);
      if (isControl(code)) throw this.fail("control character in a comment");
      this.pos += 1;
    }
  }

  /** Blank, an optional comment, then a line break or the end; returns the offset past it. */
  private endOfLine(what: string): number {
    this.skipBlank();
    this.skipComment();
    if (this.pos >= this.text.length) return this.pos;
    if (this.text[this.pos] === "\n") return (this.pos += 1);
    if (this.text.startsWith("\r\n", this.pos)) return (this.pos += 2);
    throw this.fail(`unexpected text after ${what}`);
  }

  parse(): TomlSyntax {
    const statements: Statement[] = [];
    const text = this.text;
    while (this.pos < text.length) {
      const lineStart = this.pos;
      this.skipBlank();
      if (this.pos >= text.length) break;
      const char = text[this.pos];
      if (char === "#" || char === "\n" || char === "\r") {
        this.endOfLine("a comment");
        continue;
      }
      const start = this.pos;
      if (char === "[") {
        const array = text[this.pos + 1] === "[";
        this.pos += array ? 2 : 1;
        this.skipBlank();
        const keys = this.parseKey();
        this.skipBlank();
        if (array ? !text.startsWith("]]", this.pos) : text[this.pos] !== "]") {
          throw this.fail(`expected "${array ? "]]" : "]"}" to close the table header`);
        }
        this.pos += array ? 2 : 1;
        const lineEnd = this.endOfLine("a table header");
        statements.push({ type: array ? "array-table" : "table", keys, start, lineStart, lineEnd });
        continue;
      }
      const keys = this.parseKey();
      this.skipBlank();
      if (text[this.pos] !== "=") throw this.fail(`expected "=" after the key ${keys.join(".")}`);
      this.pos += 1;
      this.skipBlank();
      const value = this.parseValue(keys.length);
      const lineEnd = this.endOfLine("a value");
      statements.push({ type: "key-value", keys, start, lineStart, lineEnd, value });
    }
    const firstBreak = text.indexOf("\n");
    const newline = firstBreak > 0 && text[firstBreak - 1] === "\r" ? "\r\n" : "\n";
    return { statements, newline };
  }

  /** A dotted key: simple keys separated by `.`, blanks allowed around the dots. */
  private parseKey(): string[] {
    const keys = [this.parseSimpleKey()];
    for (;;) {
      const save = this.pos;
      this.skipBlank();
      if (this.text[this.pos] !== ".") {
        this.pos = save;
        return keys;
      }
      this.pos += 1;
      this.skipBlank();
      keys.push(this.parseSimpleKey());
      if (keys.length > this.maxDepth) {
        throw tomlError(
          ConfigErrorCode.TooDeep,
          this.text,
          this.pos,
          `keys nested deeper than ${this.maxDepth} levels`,
        );
      }
    }
  }

  private parseSimpleKey(): string {
    const char = this.text[this.pos];
    if (char === '"') {
      if (this.text.startsWith('"""', this.pos)) throw this.fail("a key cannot be a multi-line string");
      return this.parseBasicString();
    }
    if (char === "'") {
      if (this.text.startsWith("'''", this.pos)) throw this.fail("a key cannot be a multi-line string");
      return this.parseLiteralString();
    }
    BARE_KEY.lastIndex = this.pos;
    const match = BARE_KEY.exec(this.text);
    if (!match) throw this.fail("expected a key (letters, digits, _ or -, or a quoted string)");
    this.pos = BARE_KEY.lastIndex;
    return match[0];
  }

  private parseEscape(): string {
    // At the backslash.
    const start = this.pos;
    const char = this.text[this.pos + 1] ?? "";
    const simple = escapes[char];
    if (simple !== undefined) {
      this.pos += 2;
      return simple;
    }
    if (char === "u" || char === "U") {
      const length = char === "u" ? 4 : 8;
      const hex = this.text.slice(this.pos + 2, this.pos + 2 + length);
      if (!new RegExp(`^[0-9A-Fa-f]{${length}}$`).test(hex))
        throw this.fail(`invalid \\${char} escape`, start);
      const code = Number.parseInt(hex, 16);
      if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
        throw this.fail(`\\${char}${hex} is not a Unicode scalar value`, start);
      }
      this.pos += 2 + length;
      return String.fromCodePoint(code);
    }
    throw this.fail(`invalid escape "\\${char}"`, start);
  }

  private parseBasicString(): string {
    const start = this.pos;
    this.pos += 1;
    let value = "";
    for (;;) {
      if (this.pos >= this.text.length || this.atLineBreak()) throw this.fail("unterminated string", start);
      const char = this.text[this.pos]!;
      if (char === '"') {
        this.pos += 1;
        return value;
      }
      if (char === "\\") {
        value += this.parseEscape();
        continue;
      }
      if (isControl(char.charCodeAt(0))) throw this.fail("control character in a string");
      value += char;
      this.pos += 1;
    }
  }

  private parseLiteralString(): string {
    const start = this.pos;
    this.pos += 1;
    const from = this.pos;
    for (;;) {
      if (this.pos >= this.text.length || this.atLineBreak()) throw this.fail("unterminated string", start);
      const char = this.text[this.pos]!;
      if (char === "'") {
        this.pos += 1;
        return this.text.slice(from, this.pos - 1);
      }
      if (isControl(char.charCodeAt(0))) throw this.fail("control character in a string");
      this.pos += 1;
    }
  }

  private skipFirstLineBreak(): void {
    if (this.text[this.pos] === "\n") this.pos += 1;
    else if (this.text.startsWith("\r\n", this.pos)) this.pos += 2;
  }

  /** Quotes that close a multi-line string at `pos` (3 to 5 of `quote`; 1 or 2 belong to the content). */
  private closingRun(quote: string): number {
    let run = 0;
    while (this.text[this.pos + run] === quote) run += 1;
    if (run < 3) return 0;
    if (run > 5) throw this.fail(`too many ${quote} in a row in a multi-line string`, this.pos + 5);
    return run;
  }

  private parseMultilineString(quote: '"' | "'"): string {
    const start = this.pos;
    this.pos += 3;
    this.skipFirstLineBreak();
    let value = "";
    for (;;) {
      if (this.pos >= this.text.length) throw this.fail("unterminated multi-line string", start);
      const char = this.text[this.pos]!;
      if (char === quote) {
        const run = this.closingRun(quote);
        if (run > 0) {
          value += quote.repeat(run - 3);
          this.pos += run;
          return value;
        }
        value += char;
        this.pos += 1;
        continue;
      }
      if (quote === '"' && char === "\\") {
        // A backslash ending a line trims the line break and the blanks and line breaks after it.
        let probe = this.pos + 1;
        while (this.text[probe] === " " || this.text[probe] === "\t") probe += 1;
        if (this.text[probe] === "\n" || this.text.startsWith("\r\n", probe)) {
          this.pos = probe;
          while (/[ \t\r\n]/.test(this.text[this.pos] ?? "")) {
            if (this.text[this.pos] === "\r" && this.text[this.pos + 1] !== "\n") break;
            this.pos += 1;
          }
          continue;
        }
        value += this.parseEscape();
        continue;
      }
      if (this.text.startsWith("\r\n", this.pos)) {
        value += "\r\n";
        this.pos += 2;
        continue;
      }
      if (char !== "\n" && isControl(char.charCodeAt(0))) throw this.fail("control character in a string");
      value += char;
      this.pos += 1;
    }
  }

  private parseValue(depth: number): ValueNode {
    const start = this.pos;
    const text = this.text;
    const char = text[this.pos];
    if (char === '"') {
      if (text.startsWith('"""', this.pos)) {
        const value = this.parseMultilineString('"');
        return { type: "string", style: "ml-basic", value, start, end: this.pos };
      }
      const value = this.parseBasicString();
      return { type: "string", style: "basic", value, start, end: this.pos };
    }
    if (char === "'") {
      if (text.startsWith("'''", this.pos)) {
        const value = this.parseMultilineString("'");
        return { type: "string", style: "ml-literal", value, start, end: this.pos };
      }
      const value = this.parseLiteralString();
      return { type: "string", style: "literal", value, start, end: this.pos };
    }
    if (char === "[") return this.parseArray(depth + 1);
    if (char === "{") return this.parseInlineTable(depth + 1);
    VALUE_TOKEN.lastIndex = this.pos;
    const match = VALUE_TOKEN.exec(text);
    if (!match) throw this.fail("expected a value");
    let token = match[0];
    let end = VALUE_TOKEN.lastIndex;
    TIME_AFTER_SPACE.lastIndex = end;
    if (/^\d{4}-\d{2}-\d{2}$/.test(token) && TIME_AFTER_SPACE.test(text)) {
      VALUE_TOKEN.lastIndex = end + 1;
      const time = VALUE_TOKEN.exec(text);
      token = `${token} ${time?.[0] ?? ""}`;
      end = VALUE_TOKEN.lastIndex;
    }
    this.pos = end;
    return this.scalarFromToken(token, start, end);
  }

  private scalarFromToken(token: string, start: number, end: number): ScalarNode {
    if (token === "true" || token === "false")
      return { type: "boolean", value: token === "true", start, end };
    const kind = dateTimeKind(token);
    if (kind) return { type: "datetime", kind, value: token, start, end };
    const base = DEC_INT.test(token)
      ? 10
      : HEX_INT.test(token)
        ? 16
        : OCT_INT.test(token)
          ? 8
          : BIN_INT.test(token)
            ? 2
            : undefined;
    if (base !== undefined) {
      const digits = token.replace(/_/g, "");
      const big = base === 10 ? BigInt(digits) : BigInt(digits.slice(0, 2).toLowerCase() + digits.slice(2));
      if (big < INT64_MIN || big > INT64_MAX)
        throw this.fail(`integer ${token} does not fit in 64 bits`, start);
      const value =
        big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
      return { type: "integer", base, value, start, end };
    }
    if (FLOAT.test(token)) return { type: "float", value: Number(token.replace(/_/g, "")), start, end };
    if (SPECIAL_FLOAT.test(token)) {
      const value = token.endsWith("nan") ? Number.NaN : token.startsWith("-") ? -Infinity : Infinity;
      return { type: "float", value, start, end };
    }
    throw this.fail(`invalid value "${token}"`, start);
  }

  private checkDepth(depth: number): void {
    if (depth > this.maxDepth) {
      throw tomlError(
        ConfigErrorCode.TooDeep,
        this.text,
        this.pos,
        `collections nested deeper than ${this.maxDepth} levels`,
      );
    }
  }

  /** Blanks, line breaks and comments inside an array. */
  private skipArrayTrivia(): void {
    for (;;) {
      this.skipBlank();
      if (this.text[this.pos] === "#") this.skipComment();
      if (this.text[this.pos] === "\n") this.pos += 1;
      else if (this.text.startsWith("\r\n", this.pos)) this.pos += 2;
      else return;
    }
  }

  private parseArray(depth: number): ArrayNode {
    this.checkDepth(depth);
    const start = this.pos;
    this.pos += 1;
    const items: ValueNode[] = [];
    for (;;) {
      this.skipArrayTrivia();
      if (this.pos >= this.text.length) throw this.fail("unterminated array", start);
      if (this.text[this.pos] === "]") break;
      items.push(this.parseValue(depth));
      this.skipArrayTrivia();
      if (this.text[this.pos] === ",") {
        this.pos += 1;
        continue;
      }
      if (this.text[this.pos] === "]") break;
      if (this.pos >= this.text.length) throw this.fail("unterminated array", start);
      throw this.fail('expected "," or "]" in an array');
    }
    this.pos += 1;
    return { type: "array", items, start, end: this.pos };
  }

  private parseInlineTable(depth: number): InlineTableNode {
    this.checkDepth(depth);
    const start = this.pos;
    this.pos += 1;
    const entries: InlineEntry[] = [];
    this.skipBlank();
    if (this.text[this.pos] === "}") {
      this.pos += 1;
      return { type: "inline-table", entries, start, end: this.pos };
    }
    for (;;) {
      this.skipBlank();
      const entryStart = this.pos;
      const keys = this.parseKey();
      if (depth + keys.length > this.maxDepth) this.checkDepth(depth + keys.length);
      this.skipBlank();
      if (this.text[this.pos] !== "=") throw this.fail(`expected "=" after the key ${keys.join(".")}`);
      this.pos += 1;
      this.skipBlank();
      const value = this.parseValue(depth + keys.length - 1);
      entries.push({ keys, value, start: entryStart, end: this.pos });
      this.skipBlank();
      if (this.text[this.pos] === ",") {
        this.pos += 1;
        continue;
      }
      if (this.text[this.pos] === "}") {
        this.pos += 1;
        return { type: "inline-table", entries, start, end: this.pos };
      }
      throw this.fail('expected "," or "}" in an inline table (which stays on one line)');
    }
  }
}

/** Parses TOML text; throws ConfigError `SYNTAX` or `TOO_DEEP` with line and column. */
export function parseTomlSyntax(text: string, maxDepth: number): TomlSyntax {
  return new Parser(text, maxDepth).parse();
}
