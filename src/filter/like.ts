// LIKE patterns: `%` is any run of characters, `_` exactly one. Two dialects:
// - `where` follows PostgreSQL, where the pattern runs: a backslash escapes the next character
//   (`'50\%'`), and `%`/`_` match newlines too;
// - `where_data` follows ConfigHub's where-filter (spec/functions.md §2.2): no escape character, and
//   neither wildcard matches a newline.
// In memory a pattern is matched segment by segment, with no regex and no backtracking (see
// like-segments.ts): a viewer's pattern of thousands of `%`s against a large value cannot stall the
// process, which an NFA simulation (RE2) did — its cost grows with pattern size times input size.
import {
  ANY_ONE,
  ANY_RUN,
  compileSegments,
  foldCodePoint,
  matchSegments,
  toCodePoints,
  type CodePoints,
  type LikeSegments,
} from "./like-segments.ts";

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
  const fold = options.caseInsensitive ? foldCodePoint : (c: number) => c;
  const tokens: number[] = [];
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    if (escapes && ch === "\\" && i + 1 < chars.length)
      tokens.push(fold((chars[++i] as string).codePointAt(0)!));
    else if (ch === "%") tokens.push(ANY_RUN);
    else if (ch === "_") tokens.push(ANY_ONE);
    else tokens.push(fold(ch.codePointAt(0)!));
  }
  const codePoints = (input: string) => toCodePoints(input, fold);
  if (escapes) {
    const segments = compileSegments(tokens);
    return { test: (input) => matchSegments(segments, codePoints(input)) };
  }
  // where-filter: no wildcard crosses a newline, so every newline of the input must meet a literal
  // newline of the pattern. Line k of the pattern then matches line k of the input on its own.
  const lines = splitLines(tokens).map(compileSegments);
  return { test: (input) => matchLines(lines, codePoints(input)) };
}

const NEWLINE = 0x0a;

function splitLines(tokens: readonly number[]): number[][] {
  const lines: number[][] = [[]];
  for (const t of tokens) {
    if (t === NEWLINE) lines.push([]);
    else lines[lines.length - 1]!.push(t);
  }
  return lines;
}

function matchLines(lines: readonly LikeSegments[], input: CodePoints): boolean {
  let start = 0;
  for (let k = 0; k < lines.length - 1; k++) {
    const end = input.indexOf(NEWLINE, start);
    if (end < 0 || !matchSegments(lines[k]!, input, start, end)) return false;
    start = end + 1;
  }
  return input.indexOf(NEWLINE, start) < 0 && matchSegments(lines[lines.length - 1]!, input, start);
}
