// Rewrites an RE2 pattern (already accepted by re2js) as a PostgreSQL ARE with the same matches, so
// `where` regexes mean the same in SQL as in memory. The dialects differ in ways that change results
// silently: `.` matches a newline in PostgreSQL but not in RE2, `\b` is a backspace there and a word
// boundary here, `\d`/`\w`/`[[:alpha:]]` and word boundaries follow the locale there and are ASCII here, bounds stop at
// 255, and flag groups are allowed only at the start. So the pattern is re-emitted token by token:
// classes as explicit code-point ranges, literals escaped, anchors mapped; anything without an exact
// equivalent (Unicode classes, mid-pattern flag groups) is refused rather than approximated.
//
// Every group becomes non-capturing: a filter only asks whether a value matches, and capturing
// groups make PostgreSQL dissect the match, which costs seconds on patterns like `(\w{1,100}){1,10}`
// (measured: 10.8 s on a 3,000-character value, 13 ms without the capture). Without captures or
// backreferences PostgreSQL matches with its DFA only.

export type PostgresRegexResult =
  | { readonly ok: true; readonly pattern: string }
  | {
      readonly ok: false;
      /** Offset and length of the construct inside the pattern. */
      readonly offset: number;
      readonly length: number;
      readonly reason: string;
    };

/** PostgreSQL's RE_DUP_MAX: the largest count a `{m,n}` bound may use. */
export const POSTGRES_MAX_REPEAT = 255;

type Range = readonly [number, number];

const MAX_CODE_POINT = 0x10ffff;
const DIGIT: Range[] = [[0x30, 0x39]];
const SPACE: Range[] = [
  [0x09, 0x0a],
  [0x0c, 0x0d],
  [0x20, 0x20],
];
const WORD: Range[] = [
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x5f, 0x5f],
  [0x61, 0x7a],
];

// RE2's POSIX classes are ASCII-only.
const POSIX_CLASSES: Readonly<Record<string, Range[]>> = {
  alnum: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  alpha: [
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  ascii: [[0x00, 0x7f]],
  blank: [
    [0x09, 0x09],
    [0x20, 0x20],
  ],
  cntrl: [
    [0x00, 0x1f],
    [0x7f, 0x7f],
  ],
  digit: DIGIT,
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [
    [0x21, 0x2f],
    [0x3a, 0x40],
    [0x5b, 0x60],
    [0x7b, 0x7e],
  ],
  space: [
    [0x09, 0x0d],
    [0x20, 0x20],
  ],
  upper: [[0x41, 0x5a]],
  word: WORD,
  xdigit: [
    [0x30, 0x39],
    [0x41, 0x46],
    [0x61, 0x66],
  ],
};

const PERL_CLASSES: Readonly<Record<string, { ranges: Range[]; negated: boolean }>> = {
  d: { ranges: DIGIT, negated: false },
  D: { ranges: DIGIT, negated: true },
  s: { ranges: SPACE, negated: false },
  S: { ranges: SPACE, negated: true },
  w: { ranges: WORD, negated: false },
  W: { ranges: WORD, negated: true },
};

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
// RE2's word boundaries are ASCII-only, PostgreSQL's \y and \Y follow the locale (é is a word
// character there): spell them out with lookaround over the ASCII word class.
const ASCII_WORD = "[0-9A-Z_a-z]";
const ASSERTIONS: Readonly<Record<string, string>> = {
  A: "\\A",
  z: "\\Z",
  b: `(?:(?<=${ASCII_WORD})(?!${ASCII_WORD})|(?<!${ASCII_WORD})(?=${ASCII_WORD}))`,
  B: `(?:(?<=${ASCII_WORD})(?=${ASCII_WORD})|(?<!${ASCII_WORD})(?!${ASCII_WORD}))`,
};
const ARE_SPECIAL = new Set("\\^$.[]()|*+?{}");

class Refusal {
  constructor(
    readonly offset: number,
    readonly length: number,
    readonly reason: string,
  ) {}
}

/** What the last emitted item was: quantifiers need an atom, and PostgreSQL refuses `^*`. */
type Last = "nothing" | "assertion" | "atom" | "quantifier";

export function toPostgresRegex(source: string): PostgresRegexResult {
  try {
    return { ok: true, pattern: new Translator(source).translate() };
  } catch (error) {
    if (error instanceof Refusal) {
      return { ok: false, offset: error.offset, length: error.length, reason: error.reason };
    }
    throw error;
  }
}

class Translator {
  private pos = 0;
  private out = "";
  private last: Last = "nothing";
  private dotAll = false;

  constructor(private readonly src: string) {}

  translate(): string {
    const flags = this.leadingFlags();
    while (this.pos < this.src.length) this.top();
    return flags + this.out;
  }

  /** `(?ims)` at the very start becomes ARE embedded options; `m` is ARE's `w` (^ and $ at newlines). */
  private leadingFlags(): string {
    const match = /^\(\?([imsU]*)(?:-([imsU]*))?\)/.exec(this.src);
    if (!match) return "";
    this.pos = match[0].length;
    const on = match[1] ?? "";
    // `U` (ungreedy) and turning flags off at the start change no boolean match result.
    this.dotAll = on.includes("s");
    let are = "";
    if (on.includes("i")) are += "i";
    if (on.includes("m")) are += "w";
    return are ? `(?${are})` : "";
  }

  private top(): void {
    const start = this.pos;
    const cp = this.src.codePointAt(this.pos) as number;
    const ch = String.fromCodePoint(cp);
    switch (ch) {
      case "\\":
        this.escape();
        return;
      case "[":
        this.emitRanges(this.bracket(), start);
        return;
      case ".":
        this.pos += 1;
        this.atom(this.dotAll ? "." : "[^\\n]");
        return;
      case "^":
      case "$":
        this.pos += 1;
        this.assertion(ch);
        return;
      case "(":
        this.group();
        return;
      case ")":
      case "|":
        this.pos += 1;
        this.out += ch;
        this.last = ch === ")" ? "atom" : "nothing";
        return;
      case "*":
      case "+":
      case "?":
        this.pos += 1;
        this.quantifier(ch, start);
        return;
      case "{": {
        const bound = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos));
        if (bound) {
          this.pos += bound[0].length;
          const counts = [bound[1], bound[3]].filter((n): n is string => n !== undefined && n !== "");
          if (counts.some((n) => Number(n) > POSTGRES_MAX_REPEAT)) {
            throw new Refusal(
              start,
              bound[0].length,
              `repeat counts above ${POSTGRES_MAX_REPEAT} are not supported`,
            );
          }
          this.quantifier(bound[0], start);
          return;
        }
        // Not a valid bound: RE2 reads `{` literally, and so must PostgreSQL.
        this.pos += 1;
        this.atom("\\{");
        return;
      }
      default:
        this.pos += ch.length;
        this.atom(literal(cp));
    }
  }

  private quantifier(text: string, start: number): void {
    if (this.last === "assertion") {
      throw new Refusal(start, text.length, "a repetition cannot apply to an anchor");
    }
    // A lazy marker changes which match is found, never whether one is: keep it, it is valid ARE.
    let lazy = "";
    if (this.src[this.pos] === "?") {
      lazy = "?";
      this.pos += 1;
    }
    this.out += text + lazy;
    this.last = "quantifier";
  }

  private atom(text: string): void {
    this.out += text;
    this.last = "atom";
  }

  private assertion(text: string): void {
    this.out += text;
    this.last = "assertion";
  }

  private group(): void {
    const start = this.pos;
    const rest = this.src.slice(this.pos);
    const named = /^\(\?P?<[A-Za-z0-9_]+>/.exec(rest);
    if (rest.startsWith("(?:")) {
      this.pos += 3;
      this.out += "(?:";
    } else if (named) {
      this.pos += named[0].length;
      this.out += "(?:";
    } else if (rest.startsWith("(?")) {
      const flags = /^\(\?[^):]*[):]?/.exec(rest)?.[0] ?? "(?";
      throw new Refusal(
        start,
        flags.length,
        "flag groups are supported only at the very start of the pattern, e.g. (?i)",
      );
    } else {
      this.pos += 1;
      this.out += "(?:";
    }
    this.last = "nothing";
  }

  private escape(): void {
    const start = this.pos;
    const letter = this.src[this.pos + 1] ?? "";
    const assertion = ASSERTIONS[letter];
    if (assertion !== undefined) {
      this.pos += 2;
      this.assertion(assertion);
      return;
    }
    if (letter === "Q") {
      this.pos += 2;
      const end = this.src.indexOf("\\E", this.pos);
      const text = this.src.slice(this.pos, end < 0 ? this.src.length : end);
      this.pos = end < 0 ? this.src.length : end + 2;
      for (const char of text) this.atom(literal(char.codePointAt(0) as number));
      return;
    }
    const perl = PERL_CLASSES[letter];
    if (perl) {
      this.pos += 2;
      this.emitRanges({ ranges: perl.ranges, negated: perl.negated }, start);
      return;
    }
    this.atom(literal(this.escapedCodePoint()));
  }

  /** A character escape at `pos` (`\n`, `\x41`, `\x{263a}`, `\012`, `\.`): consumes it, returns its code point. */
  private escapedCodePoint(): number {
    const start = this.pos;
    const letter = this.src[this.pos + 1] ?? "";
    const simple = SIMPLE_ESCAPES[letter];
    if (simple !== undefined) {
      this.pos += 2;
      return simple;
    }
    if (letter === "x") {
      const hex = /^\\x(?:\{([0-9A-Fa-f]+)\}|([0-9A-Fa-f]{2}))/.exec(this.src.slice(this.pos));
      const digits = hex?.[1] ?? hex?.[2];
      if (hex && digits !== undefined && parseInt(digits, 16) <= MAX_CODE_POINT) {
        this.pos += hex[0].length;
        return parseInt(digits, 16);
      }
    } else if (/[0-7]/.test(letter)) {
      // RE2's octal rule: `\0` plus up to two octal digits, or `\1`-`\7` followed by one.
      const octal = /^\\([0-7]{1,3})/.exec(this.src.slice(this.pos));
      if (octal?.[1] !== undefined && (letter === "0" || octal[1].length > 1)) {
        this.pos += octal[0].length;
        return parseInt(octal[1], 8);
      }
    } else if (letter === "p" || letter === "P") {
      const name = /^\\[pP](\{[^}]*\}|.)?/.exec(this.src.slice(this.pos))?.[0] ?? "\\p";
      throw new Refusal(start, name.length, "Unicode character classes (\\p) are not supported");
    } else if (letter !== "" && !/[A-Za-z0-9]/.test(letter)) {
      // An escaped punctuation character is that character.
      const cp = this.src.codePointAt(this.pos + 1) as number;
      this.pos += 1 + String.fromCodePoint(cp).length;
      return cp;
    }
    throw new Refusal(start, Math.min(2, this.src.length - start), "this escape is not supported");
  }

  /** A bracket expression at `pos`, as code-point ranges. */
  private bracket(): { ranges: Range[]; negated: boolean } {
    const start = this.pos;
    this.pos += 1;
    let negated = false;
    if (this.src[this.pos] === "^") {
      negated = true;
      this.pos += 1;
    }
    const ranges: Range[] = [];
    let first = true;
    while (this.pos < this.src.length) {
      const ch = this.src[this.pos];
      if (ch === "]" && !first) {
        this.pos += 1;
        return { ranges, negated };
      }
      first = false;
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(this.src.slice(this.pos));
      if (posix) {
        const set = POSIX_CLASSES[posix[2] ?? ""];
        if (!set) {
          throw new Refusal(this.pos, posix[0].length, "unknown character class");
        }
        this.pos += posix[0].length;
        ranges.push(...(posix[1] ? complement(set) : set));
        continue;
      }
      if (ch === "\\") {
        const perl = PERL_CLASSES[this.src[this.pos + 1] ?? ""];
        if (perl) {
          this.pos += 2;
          ranges.push(...(perl.negated ? complement(perl.ranges) : perl.ranges));
          continue;
        }
      }
      const low = this.bracketChar();
      if (this.src[this.pos] === "-" && this.src[this.pos + 1] !== "]" && this.pos + 1 < this.src.length) {
        this.pos += 1;
        const high = this.bracketChar();
        ranges.push([low, high]);
      } else {
        ranges.push([low, low]);
      }
    }
    throw new Refusal(start, this.src.length - start, "missing closing ]");
  }

  private bracketChar(): number {
    if (this.src[this.pos] === "\\") return this.escapedCodePoint();
    const cp = this.src.codePointAt(this.pos) as number;
    this.pos += String.fromCodePoint(cp).length;
    return cp;
  }

  private emitRanges(set: { ranges: readonly Range[]; negated: boolean }, _start: number): void {
    // NUL cannot occur in PostgreSQL text, and `\u0000` is not a valid ARE escape: leave it out.
    const ranges = normalise(set.ranges).flatMap(([lo, hi]): Range[] => {
      const from = Math.max(lo, 1);
      return from <= hi ? [[from, hi]] : [];
    });
    let body = ranges
      .map(([lo, hi]) => (lo === hi ? inBracket(lo) : `${inBracket(lo)}-${inBracket(hi)}`))
      .join("");
    let negated = set.negated;
    if (body === "") {
      // The empty set: match nothing (or, negated, anything).
      body = `${inBracket(1)}-${inBracket(MAX_CODE_POINT)}`;
      negated = !negated;
    }
    this.atom(`[${negated ? "^" : ""}${body}]`);
  }
}

function normalise(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const prev = merged[merged.length - 1];
    if (prev && lo <= prev[1] + 1) prev[1] = Math.max(prev[1], hi);
    else merged.push([lo, hi]);
  }
  return merged;
}

function complement(ranges: readonly Range[]): Range[] {
  const result: Range[] = [];
  let next = 0;
  for (const [lo, hi] of normalise(ranges)) {
    if (lo > next) result.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CODE_POINT) result.push([next, MAX_CODE_POINT]);
  return result;
}

function isAsciiAlnum(cp: number): boolean {
  return (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a);
}

function unicodeEscape(cp: number): string {
  return cp <= 0xffff ? `\\u${cp.toString(16).padStart(4, "0")}` : `\\U${cp.toString(16).padStart(8, "0")}`;
}

/** A character outside brackets. */
function literal(cp: number): string {
  if (isAsciiAlnum(cp) || cp === 0x20) return String.fromCodePoint(cp);
  if (cp > 0x20 && cp < 0x7f) {
    const ch = String.fromCodePoint(cp);
    return ARE_SPECIAL.has(ch) ? `\\${ch}` : ch;
  }
  return unicodeEscape(cp);
}

/** A character inside brackets: in an ARE a backslash stays special there, so it escapes punctuation. */
function inBracket(cp: number): string {
  if (isAsciiAlnum(cp) || cp === 0x20) return String.fromCodePoint(cp);
  if (cp > 0x20 && cp < 0x7f) return `\\${String.fromCodePoint(cp)}`;
  return unicodeEscape(cp);
}
