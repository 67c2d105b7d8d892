// Escapes of java.util.Properties: `\uXXXX`, `\t` `\n` `\r` `\f`, and `\c` for any other c (c itself,
// so `\=`, `\:`, `\ `, `\#` and `\\` are literal). Writing escapes only what has to be: a value's
// backslashes, line breaks, tabs, form feeds and a leading space, `=` or `:`; a key also its separators and a
// leading `#`/`!`. Other characters, non-ASCII included, are written as they are (the text is UTF-8).
import { ConfigError, ConfigErrorCode } from "../../errors.ts";

const SIMPLE: Readonly<Record<string, string>> = { t: "\t", n: "\n", r: "\r", f: "\f" };

/**
 * `raw` with its escapes decoded. `at(i)` locates character `i` of `raw` in the text, for the
 * ConfigError `SYNTAX` of a malformed `\uXXXX` (fewer than four hex digits).
 */
export function unescapeProperties(
  raw: string,
  at: (index: number) => { line: number; column: number },
): string {
  if (!raw.includes("\\")) return raw;
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c !== "\\") {
      out += c;
      continue;
    }
    const next = raw[i + 1];
    if (next === undefined) break;
    if (next === "u") {
      const hex = raw.slice(i + 2, i + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
        const where = at(i);
        throw new ConfigError(
          ConfigErrorCode.Syntax,
          `invalid properties: malformed \\uXXXX escape ${JSON.stringify(raw.slice(i, i + 6))} at line ${where.line}, column ${where.column}`,
          where,
        );
      }
      out += String.fromCharCode(parseInt(hex, 16));
      i += 5;
      continue;
    }
    out += SIMPLE[next] ?? next;
    i++;
  }
  return out;
}

function escapeChar(c: string): string {
  switch (c) {
    case "\\":
      return "\\\\";
    case "\n":
      return "\\n";
    case "\r":
      return "\\r";
    case "\t":
      return "\\t";
    case "\f":
      return "\\f";
    default:
      return c;
  }
}

/** A value as properties text: reads back as `value`. */
export function escapeValue(value: string): string {
  let out = "";
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    // A leading space would be taken for the separator's whitespace, and a leading `=` or `:` for
    // the separator itself after a whitespace separator (`key value`).
    out += i === 0 && (c === " " || c === "=" || c === ":") ? `\\${c}` : escapeChar(c);
  }
  return out;
}

/** A key as properties text: reads back as `key`. */
export function escapeKey(key: string): string {
  let out = "";
  for (let i = 0; i < key.length; i++) {
    const c = key[i]!;
    if (c === "=" || c === ":" || c === " " || (i === 0 && (c === "#" || c === "!"))) out += `\\${c}`;
    else out += escapeChar(c);
  }
  return out;
}
