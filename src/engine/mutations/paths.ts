// Dot paths as they appear in PathMutationMap keys: segments joined with `.`, where a key's own `~`
// is written `~0` and its `.` is written `~1` (so `metadata.annotations.confighub~1com/key`). Escaping
// `~` too (ConfigHub escapes only `.`) makes every path round-trip through the path language.

/** Escapes one key for a dot path. */
export function escapeSegment(key: string): string {
  return key.replaceAll("~", "~0").replaceAll(".", "~1");
}

/** RFC 6901 pointer (as fast-json-patch writes them) → dot path. The root pointer "" maps to "". */
export function pointerToDotPath(pointer: string): string {
  if (pointer === "") return "";
  return pointer
    .slice(1)
    .split("/")
    .map((token) => escapeSegment(token.replaceAll("~1", "/").replaceAll("~0", "~")))
    .join(".");
}

/** Unescaped pointer tokens. */
export function pointerTokens(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((token) => token.replaceAll("~1", "/").replaceAll("~0", "~"));
}

/** The pointer of the parent node ("" for a child of the root). */
export function parentPointer(pointer: string): string {
  return pointer.slice(0, pointer.lastIndexOf("/"));
}

/** Value of a plain JSON-like tree at `pointer`, or undefined when absent. */
export function valueAtPointer(root: unknown, pointer: string): unknown {
  let node = root;
  for (const token of pointerTokens(pointer)) {
    if (node === null || typeof node !== "object") return undefined;
    if (!Object.prototype.hasOwnProperty.call(node, token)) return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}

/** Splits a dot path into its escaped segments (escapes never contain `.`). */
function dotSegments(path: string): string[] {
  return path === "" ? [] : path.split(".");
}

/** Whether `descendant` lies strictly below `ancestor`, comparing whole segments (not string prefixes). */
export function isDescendantPath(descendant: string, ancestor: string): boolean {
  if (ancestor === "") return descendant !== "";
  return descendant.length > ancestor.length && descendant.startsWith(ancestor + ".");
}

/** Value of a plain tree at an (escaped) dot path, or undefined when absent. */
export function valueAtDotPath(root: unknown, path: string): unknown {
  let node = root;
  for (const segment of dotSegments(path)) {
    const key = segment.replaceAll("~1", ".").replaceAll("~0", "~");
    if (node === null || typeof node !== "object") return undefined;
    if (!Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
