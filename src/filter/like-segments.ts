// Matching a LIKE pattern without backtracking. The pattern splits at its `%`s into segments of
// literal code points and `_`s. The first segment must match at the start, the last at the end, and
// each one between is taken at its leftmost occurrence after the previous one: the leftmost choice
// leaves the most room for the rest, so if it fails every other choice fails too (the classic
// greedy glob match). Each search scans the input forward once with a bit-parallel automaton
// (Shift-And), whose step costs one machine word per 32 code points of the segment: the whole match
// is one pass over the input, whatever the number of `%`s.

/** The input as code points (folded for ILIKE). */
export type CodePoints = Int32Array;

/** `text` as code points, each through `fold`: `_` must meet one code point, not one UTF-16 unit. */
export function toCodePoints(text: string, fold: (c: number) => number): CodePoints {
  const out = new Int32Array(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    out[n++] = fold(c);
  }
  return out.subarray(0, n);
}

/** A pattern token: a code point, or one of these two wildcards. */
export const ANY_RUN = -1;
export const ANY_ONE = -2;

interface Segment {
  readonly tokens: readonly number[];
  /** Shift-And masks: per code point, bit i set where the segment accepts it at offset i. */
  readonly masks: ReadonlyMap<number, Uint32Array>;
  /** The mask of a code point the segment names nowhere: only its `_` positions. */
  readonly wildcards: Uint32Array;
}

export interface LikeSegments {
  /** Without a `%`, the one segment must match the whole input. */
  readonly hasAnyRun: boolean;
  readonly first: Segment;
  readonly middle: readonly Segment[];
  readonly last: Segment;
  readonly minLength: number;
}

export function compileSegments(tokens: readonly number[]): LikeSegments {
  const parts: number[][] = [[]];
  for (const t of tokens) {
    if (t === ANY_RUN) parts.push([]);
    else parts[parts.length - 1]!.push(t);
  }
  const segments = parts.map(compileSegment);
  return {
    hasAnyRun: parts.length > 1,
    first: segments[0]!,
    middle: segments.slice(1, -1).filter((s) => s.tokens.length > 0),
    last: segments[segments.length - 1]!,
    minLength: parts.reduce((sum, p) => sum + p.length, 0),
  };
}

function compileSegment(tokens: readonly number[]): Segment {
  const words = Math.max(1, Math.ceil(tokens.length / 32));
  const wildcards = new Uint32Array(words);
  tokens.forEach((t, i) => {
    if (t === ANY_ONE) wildcards[i >>> 5]! |= 1 << (i & 31);
  });
  const masks = new Map<number, Uint32Array>();
  tokens.forEach((t, i) => {
    if (t === ANY_ONE) return;
    let mask = masks.get(t);
    if (!mask) masks.set(t, (mask = Uint32Array.from(wildcards)));
    mask[i >>> 5]! |= 1 << (i & 31);
  });
  return { tokens, masks, wildcards };
}

/** Whether `input[from, to)` matches the whole pattern. */
export function matchSegments(
  pattern: LikeSegments,
  input: CodePoints,
  from = 0,
  to = input.length,
): boolean {
  if (to - from < pattern.minLength) return false;
  const { first, last } = pattern;
  if (!pattern.hasAnyRun) return to - from === first.tokens.length && matchesAt(first, input, from);
  if (!matchesAt(first, input, from)) return false;
  const limit = to - last.tokens.length;
  if (!matchesAt(last, input, limit)) return false;
  let position = from + first.tokens.length;
  for (const segment of pattern.middle) {
    const end = findEnd(segment, input, position, limit);
    if (end < 0) return false;
    position = end;
  }
  return true;
}

function matchesAt(segment: Segment, input: CodePoints, at: number): boolean {
  const { tokens } = segment;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t !== ANY_ONE && t !== input[at + i]) return false;
  }
  return true;
}

/** The end of the leftmost occurrence of `segment` within `input[from, to)`, or -1. */
function findEnd(segment: Segment, input: CodePoints, from: number, to: number): number {
  const length = segment.tokens.length;
  const { masks, wildcards } = segment;
  const words = wildcards.length;
  const lastWord = (length - 1) >>> 5;
  const lastBit = 1 << ((length - 1) & 31);
  if (words === 1) {
    const wild = wildcards[0]!;
    let state = 0;
    for (let j = from; j < to; j++) {
      state = ((state << 1) | 1) & (masks.get(input[j]!)?.[0] ?? wild);
      if (state & lastBit) return j + 1;
    }
    return -1;
  }
  const state = new Uint32Array(words);
  // Words above `active` are zero: a bit moves up one place per step, so only they can wake up.
  let active = 0;
  for (let j = from; j < to; j++) {
    const mask = masks.get(input[j]!) ?? wildcards;
    let carry = 1;
    const top = Math.min(active + 1, words - 1);
    active = 0;
    for (let w = 0; w <= top; w++) {
      const word = state[w]!;
      state[w] = ((word << 1) | carry) & mask[w]!;
      carry = word >>> 31;
      if (state[w] !== 0) active = w;
    }
    if (state[lastWord]! & lastBit) return j + 1;
  }
  return -1;
}

const foldCache = new Map<number, number>();

/**
 * One representative per case: ILIKE compares folded code points. A code point whose case change
 * is not one code point (ß → SS) stays itself, so `_` still means one character.
 */
export function foldCodePoint(c: number): number {
  if (c < 0x80) return c >= 0x41 && c <= 0x5a ? c + 32 : c;
  let folded = foldCache.get(c);
  if (folded === undefined) {
    folded = single(single(c, (s) => s.toUpperCase()) ?? c, (s) => s.toLowerCase()) ?? c;
    foldCache.set(c, folded);
  }
  return folded;
}

function single(c: number, change: (s: string) => string): number | undefined {
  const changed = change(String.fromCodePoint(c));
  const first = changed.codePointAt(0)!;
  return changed.length === String.fromCodePoint(first).length ? first : undefined;
}
