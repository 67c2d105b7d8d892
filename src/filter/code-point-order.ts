// String order for filters: by Unicode code point, which is byte-wise UTF-8 order (ConfigHub's
// where-filter, spec §2.2) and PostgreSQL's `collate "C"` on UTF-8 text. JS's `<` compares UTF-16
// code units instead, which puts astral characters (surrogate pairs) before U+E000-U+FFFF.

export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return fixup(x) - fixup(y);
  }
  return a.length - b.length;
}

/** Moves surrogates above U+E000-U+FFFF, so code units sort in code-point order. */
function fixup(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  if (unit >= 0xd800) return unit + 0x2000;
  return unit;
}
