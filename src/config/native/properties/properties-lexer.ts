// A lossless lexer for Java `.properties` text (java.util.Properties.load, read as UTF-8 text): it
// finds each entry's logical line (natural lines joined by an odd number of trailing backslashes,
// the continuation's leading whitespace skipped), its key (ended by the first unescaped `=`, `:` or
// whitespace), its separator and its value, and records where each lies in the text. Everything else
// (comment lines starting with `#` or `!`, blank lines, line breaks) is simply the text between
// entries, so an encoder that copies the text around the entries it keeps loses no byte.
import { unescapeProperties } from "./properties-escape.ts";

/** One `key=value` entry of a properties text. Offsets are UTF-16 indexes into the text. */
export interface PropertiesEntry {
  /** The key, unescaped (`a\:b` → `a:b`). */
  readonly key: string;
  /** The value, unescaped. */
  readonly value: string;
  /** 1-based line of the entry's first natural line. */
  readonly line: number;
  /** Start of the entry's first natural line (its leading whitespace included). */
  readonly start: number;
  /** End of the key text (where the separator, if any, begins). */
  readonly keyEnd: number;
  /** Where the value text begins (after the separator); equal to `contentEnd` for an empty value. */
  readonly valueStart: number;
  /** End of the entry's last natural line, before its line break. */
  readonly contentEnd: number;
  /** After the line break that ends the entry (or the end of the text). */
  readonly end: number;
}

const isWhitespace = (c: string | undefined): boolean => c === " " || c === "\t" || c === "\f";

/** 1-based line and column (UTF-16 code units) of offsets in one text. */
export class LineIndex {
  readonly #starts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.#starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.#starts.push(i + 1);
      }
    }
  }

  position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.#starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.#starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - this.#starts[low]! + 1 };
  }
}

/** End of the natural line starting at `from` (index of its line break, or the text's length). */
function lineEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i;
  }
  return text.length;
}

/** Offset just after the line break at `at` (`\r\n`, `\r` or `\n`), or `at` at the end of the text. */
function afterBreak(text: string, at: number): number {
  if (at >= text.length) return at;
  return text[at] === "\r" && text[at + 1] === "\n" ? at + 2 : at + 1;
}

/** True when the natural line [from, to) ends with an odd number of backslashes (a continuation). */
function continues(text: string, from: number, to: number): boolean {
  let count = 0;
  for (let i = to - 1; i >= from && text[i] === "\\"; i--) count++;
  return count % 2 === 1;
}

/**
 * The entries of a properties text, in order. Throws ConfigError `SYNTAX` with line and column for
 * a malformed `\uXXXX` escape (the only thing java.util.Properties refuses).
 */
export function lexProperties(text: string, lines: LineIndex): PropertiesEntry[] {
  const entries: PropertiesEntry[] = [];
  let pos = 0;
  while (pos < text.length) {
    const start = pos;
    let i = pos;
    while (isWhitespace(text[i])) i++;
    const end0 = lineEnd(text, i);
    if (i === end0 || text[i] === "#" || text[i] === "!") {
      // A blank or comment line: never continued, kept as text.
      pos = afterBreak(text, end0);
      continue;
    }
    // The logical line: its characters and the text offset each came from.
    let logical = "";
    const offsets: number[] = [];
    let from = i;
    let to = end0;
    for (;;) {
      const more = continues(text, from, to);
      const last = more ? to - 1 : to;
      for (let k = from; k < last; k++) {
        logical += text[k];
        offsets.push(k);
      }
      if (!more || to >= text.length) break;
      // The next natural line continues this one, its leading whitespace skipped.
      from = afterBreak(text, to);
      while (isWhitespace(text[from])) from++;
      to = lineEnd(text, from);
    }
    const contentEnd = to;
    offsets.push(contentEnd);

    // Key: up to the first unescaped separator or whitespace.
    let k = 0;
    while (k < logical.length) {
      const c = logical[k]!;
      if (c === "\\") {
        k += 2;
        continue;
      }
      if (c === "=" || c === ":" || isWhitespace(c)) break;
      k++;
    }
    const keyLength = Math.min(k, logical.length);
    let v = keyLength;
    while (isWhitespace(logical[v])) v++;
    if (logical[v] === "=" || logical[v] === ":") {
      v++;
      while (isWhitespace(logical[v])) v++;
    }
    const at = (index: number): { line: number; column: number } => lines.position(offsets[index]!);
    entries.push({
      key: unescapeProperties(logical.slice(0, keyLength), (index) => at(index)),
      value: unescapeProperties(logical.slice(v), (index) => at(v + index)),
      line: lines.position(start).line,
      start,
      keyEnd: offsets[keyLength]!,
      valueStart: offsets[v]!,
      contentEnd,
      end: afterBreak(text, contentEnd),
    });
    pos = afterBreak(text, contentEnd);
  }
  return entries;
}
