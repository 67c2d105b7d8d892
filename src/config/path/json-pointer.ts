// RFC 6901 JSON pointers, as fast-json-patch, ajv and jsonpath-plus write them, read into the segments
// of the path language: the one place that unescapes `~1` (`/`) and `~0` (`~`).

/** The unescaped reference tokens of a pointer; "" (the whole document) has none. */
export function pointerTokens(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((token) => token.replaceAll("~1", "/").replaceAll("~0", "~"));
}

/**
 * A pointer's segments in `root`, array indices as numbers and map keys as strings (so a map key
 * that happens to be digits stays a key): what formatSegments writes as a dot path. `root` must
 * hold the pointer's parent; the last token may be missing (a removed or not yet added value).
 */
export function pointerSegments(root: unknown, pointer: string): (string | number)[] {
  const segments: (string | number)[] = [];
  let node = root;
  for (const token of pointerTokens(pointer)) {
    segments.push(Array.isArray(node) ? Number(token) : token);
    node =
      node !== null && typeof node === "object" && Object.hasOwn(node, token)
        ? (node as Record<string, unknown>)[token]
        : undefined;
  }
  return segments;
}
