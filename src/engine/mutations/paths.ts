// Dot paths as they appear in PathMutationMap keys, written and read with the config layer's path
// language (formatSegments / parsePath), so every recorded path resolves back to the node it names:
// a key's `.` is written `~1`, `~0`/`~1`/`~2` in a key are escaped, odd keys are quoted. "" is the
// whole document.
import { formatSegments, parsePath, pointerSegments, pointerTokens } from "../../config/index.ts";

/** The pointer of the parent node ("" for a child of the root). */
export function parentPointer(pointer: string): string {
  return pointer.slice(0, pointer.lastIndexOf("/"));
}

/** Value of a plain JSON-like tree at `pointer`, or undefined when absent. */
export function valueAtPointer(root: unknown, pointer: string): unknown {
  return valueAtSegments(root, pointerTokens(pointer));
}

/**
 * Pointer → dot path. `root` is a tree in which the pointer exists (up to its parent), used to tell
 * array indices (written as numbers) from map keys that happen to be digits.
 */
export function pointerToDotPath(pointer: string, root: unknown): string {
  return formatSegments(pointerSegments(root, pointer));
}

/** The unescaped keys of a dot path written by pointerToDotPath. */
export function dotPathSegments(path: string): string[] {
  if (path === "") return [];
  return parsePath(path).segments.map((segment) => {
    if (segment.kind !== "KeySegment") throw new Error(`not a resolved path: ${path}`);
    return segment.key;
  });
}

/**
 * The location a dot path names in a plain tree: all-digit segments under an array are indices,
 * everything else map keys (what a ConfigDocument needs to find the node).
 */
export function dotPathLocation(root: unknown, path: string): (string | number)[] {
  const location: (string | number)[] = [];
  let node = root;
  for (const key of dotPathSegments(path)) {
    if (Array.isArray(node) && /^\d+$/.test(key)) {
      location.push(Number(key));
      node = node[Number(key)];
    } else {
      location.push(key);
      node = child(node, key);
    }
  }
  return location;
}

/** Whether `descendant` lies strictly below `ancestor`, comparing whole segments (not string prefixes). */
export function isDescendantPath(descendant: string, ancestor: string): boolean {
  const d = dotPathSegments(descendant);
  const a = dotPathSegments(ancestor);
  return d.length > a.length && a.every((segment, i) => segment === d[i]);
}

/** Value of a plain tree at a dot path, or undefined when absent. */
export function valueAtDotPath(root: unknown, path: string): unknown {
  return valueAtSegments(root, dotPathSegments(path));
}

function valueAtSegments(root: unknown, segments: readonly string[]): unknown {
  let node = root;
  for (const segment of segments) {
    node = child(node, segment);
    if (node === undefined) return undefined;
  }
  return node;
}

function child(node: unknown, key: string): unknown {
  if (node === null || typeof node !== "object") return undefined;
  if (!Object.prototype.hasOwnProperty.call(node, key)) return undefined;
  return (node as Record<string, unknown>)[key];
}
