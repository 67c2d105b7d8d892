// The .env syntax (AppConfig/Env), parsed into entries that keep the byte offsets of every part, so
// an edit rewrites only a value's bytes and an untouched file comes back byte for byte.
//
// One entry per line (a quoted value may span lines):
//   [whitespace] [export <whitespace>] KEY [whitespace] = [whitespace] VALUE [whitespace] [# comment]
// Blank lines and lines starting with `#` are kept as they are. VALUE is one of
//   'single'   literal text; a quote after a backslash does not close it (as godotenv reads it)
//   "double"   escapes \n \r \t \" \\ (any other backslash stays as written); may span lines
//   unquoted   the rest of the line up to a `#` that follows whitespace, trailing whitespace trimmed
// Values are never expanded (`${OTHER}` stays as written): the view shows the text the file holds.
import { ConfigError, ConfigErrorCode } from "../../errors.ts";

export type EnvQuote = "none" | "single" | "double";

/** One `KEY=value` line of a .env file, with offsets into the file text. */
export interface EnvEntry {
  readonly key: string;
  /** Offset of the start of the entry's first line. */
  readonly lineStart: number;
  /** Offset just past the entry's last line break (or the end of the text). */
  readonly lineEnd: number;
  /** Offsets of the value's text, quotes included. */
  readonly valueStart: number;
  readonly valueEnd: number;
  readonly quote: EnvQuote;
  /** The value the view shows (quotes removed, escapes of double quotes applied). */
  readonly value: string;
}

export interface EnvSyntax {
  readonly entries: readonly EnvEntry[];
  /** The line break the file uses (`\r\n` when its first line break is one). */
  readonly newline: string;
}

const KEY = /[A-Za-z_][A-Za-z0-9_.-]*/y;
const BLANK = /[ \t]*/y;

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

function syntaxError(text: string, offset: number, what: string): ConfigError {
  const { line, column } = lineColumn(text, offset);
  return new ConfigError(ConfigErrorCode.Syntax, `invalid .env: ${what} at line ${line}, column ${column}`, {
    line,
    column,
  });
}

function skipBlank(text: string, at: number): number {
  BLANK.lastIndex = at;
  BLANK.exec(text);
  return BLANK.lastIndex;
}

/**
 * Offset of the end of the line that holds `at` (the line break's offset, or the text's end). A CR
 * is part of a line break only before an LF: a lone CR (at the end of the text, say) is text, so
 * the line always ends where pastLineBreak moves past it.
 */
function endOfLine(text: string, at: number): number {
  const lf = text.indexOf("\n", at);
  if (lf === -1) return text.length;
  return lf > at && text[lf - 1] === "\r" ? lf - 1 : lf;
}

/** Offset just past the line break that ends the line at `lineEndOffset`. */
function pastLineBreak(text: string, lineEndOffset: number): number {
  if (text.startsWith("\r\n", lineEndOffset)) return lineEndOffset + 2;
  if (text[lineEndOffset] === "\n") return lineEndOffset + 1;
  return lineEndOffset;
}

const doubleEscapes: Readonly<Record<string, string>> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };

/** The view value of the text between double quotes. */
export function unescapeDouble(raw: string): string {
  return raw.replace(/\\(.)/gs, (whole, char: string) => doubleEscapes[char] ?? whole);
}

/** Parses a .env text; throws ConfigError `SYNTAX` (with line and column) or `DUPLICATE_KEY`. */
export function parseEnv(text: string): EnvSyntax {
  const entries: EnvEntry[] = [];
  const seen = new Map<string, number>();
  const firstBreak = text.indexOf("\n");
  const newline = firstBreak > 0 && text[firstBreak - 1] === "\r" ? "\r\n" : "\n";
  let at = 0;
  let lastPass = -1;
  while (at < text.length) {
    // Each pass consumes a line; one that did not would repeat for ever and block the thread.
    if (at === lastPass) throw new Error(`the .env parser made no progress at offset ${at}`);
    lastPass = at;
    const lineStart = at;
    let pos = skipBlank(text, at);
    const eol = endOfLine(text, pos);
    if (pos === eol || text[pos] === "#") {
      at = pastLineBreak(text, eol);
      continue;
    }
    if (text.startsWith("export", pos) && /[ \t]/.test(text[pos + 6] ?? "")) {
      pos = skipBlank(text, pos + 6);
    }
    KEY.lastIndex = pos;
    const keyMatch = KEY.exec(text);
    if (!keyMatch) throw syntaxError(text, pos, "expected a variable name (letters, digits, _, . or -)");
    const key = keyMatch[0];
    const keyOffset = pos;
    pos = skipBlank(text, KEY.lastIndex);
    if (text[pos] !== "=") throw syntaxError(text, pos, `expected "=" after ${key}`);
    pos = skipBlank(text, pos + 1);
    const valueStart = pos;
    let valueEnd: number;
    let quote: EnvQuote;
    let value: string;
    const opening = text[pos];
    if (opening === "'" || opening === '"') {
      quote = opening === "'" ? "single" : "double";
      let close = pos + 1;
      for (;;) {
        if (close >= text.length)
          throw syntaxError(text, pos, `unterminated ${quote}-quoted value of ${key}`);
        const char = text[close]!;
        if (char === "\\" && close + 1 < text.length) {
          // In double quotes a backslash escapes the next character; in single quotes it only keeps
          // a following quote from closing the value (and stays in the value).
          if (quote === "double" || text[close + 1] === "'") {
            close += 2;
            continue;
          }
        }
        if (char === opening) break;
        close += 1;
      }
      const raw = text.slice(pos + 1, close);
      value = quote === "double" ? unescapeDouble(raw) : raw;
      valueEnd = close + 1;
      const after = skipBlank(text, valueEnd);
      const afterEol = endOfLine(text, after);
      if (after !== afterEol && text[after] !== "#") {
        throw syntaxError(text, after, `unexpected text after the quoted value of ${key}`);
      }
      pos = afterEol;
    } else {
      quote = "none";
      let end = eol;
      for (let i = pos; i < eol; i += 1) {
        if (text[i] === "#" && (i === pos || text[i - 1] === " " || text[i - 1] === "\t")) {
          end = i;
          break;
        }
      }
      while (end > pos && (text[end - 1] === " " || text[end - 1] === "\t")) end -= 1;
      value = text.slice(pos, end);
      valueEnd = end;
      pos = eol;
    }
    const previous = seen.get(key);
    if (previous !== undefined) {
      const { line, column } = lineColumn(text, keyOffset);
      throw new ConfigError(
        ConfigErrorCode.DuplicateKey,
        `duplicate key "${key}" at line ${line}, column ${column} (first set at line ${lineColumn(text, previous).line})`,
        { line, column },
      );
    }
    seen.set(key, keyOffset);
    at = pastLineBreak(text, pos);
    entries.push({ key, lineStart, lineEnd: at, valueStart, valueEnd, quote, value });
  }
  return { entries, newline };
}
