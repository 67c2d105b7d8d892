// Bounds on what a filter's regular expression may cost, checked before any database sees it.
// RE2 syntax rules out backtracking, but PostgreSQL compiles a pattern into an automaton whose size
// grows faster than the pattern: measured on PostgreSQL 16, `a*` repeated 500 times takes 0.85 s to
// compile, 1,000 times 4.4 s, 2,000 times over 15 s ("too complex") — for every query, on a pooled
// connection, and on PGlite in the server's own thread, where no statement timeout applies. With at
// most 50 quantifiers, 100 alternatives, repeats nested 3 deep and 1,000 counted repetitions in all
// (RE2's own cap on a nested repeat), the worst of those costs stay under 0.1 s.
//
// The pattern has already been accepted by RE2 (re2js), so this scanner only needs to recognise
// its tokens, not to validate them.

export interface RegexLimits {
  /** Characters in the pattern. */
  readonly maxLength: number;
  /** `*`, `+`, `?` and `{m,n}` operators. */
  readonly maxQuantifiers: number;
  /** `|` operators. */
  readonly maxAlternations: number;
  /** Quantified groups inside quantified groups: `((a+)+)+` is 3. */
  readonly maxRepeatNesting: number;
  /** Counted repetitions, multiplied through nesting: `(a{10}){5}b{3}` is 53. */
  readonly maxRepeatExpansion: number;
}

export const filterRegexLimits: RegexLimits = Object.freeze({
  maxLength: 1000,
  maxQuantifiers: 50,
  maxAlternations: 100,
  maxRepeatNesting: 3,
  maxRepeatExpansion: 1000,
});

export type RegexComplexityResult =
  | { readonly ok: true }
  | {
      readonly ok: false;
      /** Offset and length of the construct that passed the limit. */
      readonly offset: number;
      readonly length: number;
      /** The limit, in words: `52 quantifiers, more than the limit of 50`. */
      readonly reason: string;
    };

interface Frame {
  /** Deepest repeat nesting inside the group. */
  depth: number;
  /** Counted repetitions inside the group. */
  expansion: number;
}

export function checkRegexComplexity(
  source: string,
  limits: RegexLimits = filterRegexLimits,
): RegexComplexityResult {
  if (source.length > limits.maxLength) {
    return fail(0, source.length, `${source.length} characters, more than the limit of ${limits.maxLength}`);
  }
  const frames: Frame[] = [{ depth: 0, expansion: 0 }];
  /** The group just closed, until we know whether a quantifier applies to it. */
  let closed: Frame | undefined;
  let quantifiers = 0;
  let alternations = 0;
  let i = 0;

  /** Adds an unquantified group's counts to its parent; false if that passes the expansion limit. */
  const settle = (): boolean => {
    if (!closed) return true;
    const top = frames[frames.length - 1]!;
    top.depth = Math.max(top.depth, closed.depth);
    top.expansion += closed.expansion;
    closed = undefined;
    return top.expansion <= limits.maxRepeatExpansion;
  };
  const tooExpanded = (offset: number, length: number) =>
    fail(
      offset,
      length,
      `${frames[frames.length - 1]!.expansion} counted repetitions, more than the limit of ${limits.maxRepeatExpansion}`,
    );

  while (i < source.length) {
    const start = i;
    const ch = source[i]!;
    const counted = ch === "{" ? /^\{(\d+)(?:(,)(\d*))?\}/.exec(source.slice(i, i + 24)) : null;
    if (ch === "*" || ch === "+" || ch === "?" || counted) {
      i += counted ? counted[0].length : 1;
      if (source[i] === "?") i++; // non-greedy
      quantifiers++;
      if (quantifiers > limits.maxQuantifiers) {
        return fail(
          start,
          i - start,
          `${quantifiers} quantifiers, more than the limit of ${limits.maxQuantifiers}`,
        );
      }
      const count = counted ? Number(counted[3] || counted[1]) : 0;
      const top = frames[frames.length - 1]!;
      const inner = closed ?? { depth: 0, expansion: 0 };
      closed = undefined;
      const depth = inner.depth + 1;
      if (depth > limits.maxRepeatNesting) {
        return fail(
          start,
          i - start,
          `repeats nested ${depth} deep, more than the limit of ${limits.maxRepeatNesting}`,
        );
      }
      top.depth = Math.max(top.depth, depth);
      top.expansion += counted ? count * Math.max(1, inner.expansion) : inner.expansion;
      if (top.expansion > limits.maxRepeatExpansion) return tooExpanded(start, i - start);
      continue;
    }
    if (!settle()) return tooExpanded(start, 1);
    switch (ch) {
      case "\\":
        i = skipEscape(source, i);
        break;
      case "[":
        i = skipClass(source, i);
        break;
      case "(": {
        const flags = /^\(\?[a-zA-Z-]*\)/.exec(source.slice(i, i + 16));
        if (flags) {
          i += flags[0].length; // (?i): sets flags, opens no group
          break;
        }
        frames.push({ depth: 0, expansion: 0 });
        i++;
        break;
      }
      case ")":
        closed = frames.length > 1 ? frames.pop() : undefined;
        i++;
        break;
      case "|":
        alternations++;
        if (alternations > limits.maxAlternations) {
          return fail(i, 1, `${alternations} alternatives, more than the limit of ${limits.maxAlternations}`);
        }
        i++;
        break;
      default:
        i++;
    }
  }
  if (!settle()) return tooExpanded(source.length - 1, 1);
  return { ok: true };
}

function fail(offset: number, length: number, reason: string): RegexComplexityResult {
  return { ok: false, offset, length, reason };
}

/** Past `\x`, `\pL`, `\p{Greek}`, `\x{10FFFF}` or a `\Q...\E` literal. */
function skipEscape(source: string, i: number): number {
  const next = source[i + 1];
  if (next === "Q") {
    const end = source.indexOf("\\E", i + 2);
    return end === -1 ? source.length : end + 2;
  }
  if ((next === "p" || next === "P" || next === "x") && source[i + 2] === "{") {
    const end = source.indexOf("}", i + 3);
    return end === -1 ? source.length : end + 1;
  }
  if (next === "p" || next === "P") return i + 3;
  if (next === "x") return i + 4;
  return i + 2;
}

/** Past a bracket expression: `[]a]`, `[^]a]`, `[[:alpha:]x]`, escapes inside. */
function skipClass(source: string, i: number): number {
  let j = i + 1;
  if (source[j] === "^") j++;
  if (source[j] === "]") j++;
  while (j < source.length && source[j] !== "]") {
    if (source[j] === "\\") j = skipEscape(source, j);
    else if (source[j] === "[" && source[j + 1] === ":") {
      const end = source.indexOf(":]", j + 2);
      j = end === -1 ? j + 1 : end + 2;
    } else j++;
  }
  return j + 1;
}
