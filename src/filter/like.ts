// LIKE patterns: `%` is any run of characters, `_` exactly one. Two dialects:
// - `where` follows PostgreSQL, where the pattern runs: a backslash escapes the next character
//   (`'50\%'`), and `%`/`_` match newlines too;
// - `where_data` follows ConfigHub's where-filter (spec/functions.md §2.2): no escape character, and
//   neither wildcard matches a newline.
// In memory a pattern becomes an anchored RE2 regex, so many `%`s cannot backtrack catastrophically.
import { RE2JS } from "re2js";

export type LikeDialect = "postgres" | "where-filter";

export interface LikeMatcher {
  test(input: string): boolean;
}

/** PostgreSQL rejects a pattern whose last character is a lone escape; so do we, before it runs. */
export function endsWithLoneEscape(pattern: string): boolean {
  let backslashes = 0;
  for (let i = pattern.length - 1; i >= 0 && pattern[i] === "\\"; i--) backslashes++;
  return backslashes % 2 === 1;
}

export function compileLike(
  pattern: string,
  options: { dialect: LikeDialect; caseInsensitive: boolean },
): LikeMatcher {
  const escapes = options.dialect === "postgres";
  const any = escapes ? "(?s:.)" : "[^\\n]";
  let source = "";
  let literal = "";
  const flush = (): void => {
    if (literal) source += RE2JS.quote(literal);
    literal = "";
  };
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    if (escapes && ch === "\\" && i + 1 < chars.length) {
      literal += chars[++i];
    } else if (ch === "%") {
      flush();
      source += `${any}*`;
    } else if (ch === "_") {
      flush();
      source += any;
    } else {
      literal += ch;
    }
  }
  flush();
  const regex = RE2JS.compile(source, options.caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0);
  return { test: (input: string) => regex.matches(input) };
}
