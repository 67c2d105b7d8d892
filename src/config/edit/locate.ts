// Finds where a write goes: the node at a concrete path and what holds it (a map entry, an array
// element or the document itself), or how far the path exists when the rest must be created.
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
} from "yaml";
import { ConfigError, ConfigErrorCode } from "../errors.ts";
import { formatSegments } from "../path/format-path.ts";
import { AliasBudget, arrayIndex, deref, isMergeKey, mapGet, scalarNodeText } from "../path/yaml-nodes.ts";
import { sequenceItem, sourceToken } from "./cst-tokens.ts";
import type { CST } from "yaml";

/** What holds a node: its map entry, its array element, or the document. */
export type Holder =
  | { readonly kind: "map"; readonly map: YAMLMap; readonly pair: Pair; readonly item: CST.CollectionItem }
  | { readonly kind: "seq"; readonly seq: YAMLSeq; readonly index: number; readonly item: CST.CollectionItem }
  | { readonly kind: "document" };

export type Location =
  /** The whole path exists; `node` is null for an entry without a value (`key:`). */
  | { readonly found: true; readonly node: Node | null; readonly holder: Holder }
  /**
   * `segments[missingFrom]` is not there. `container` is the map to add it to, or null when the
   * path ends at an empty value (`key:` / `key: null`) that has to become a map.
   */
  | {
      readonly found: false;
      readonly missingFrom: number;
      readonly container: YAMLMap | null;
      readonly holder: Holder;
    };

/** The pair of `key` that the map itself holds (not one inherited through `<<`). */
export function ownPair(map: YAMLMap, key: string): Pair | undefined {
  return (map.items as Pair[]).find(
    (pair) => !isMergeKey(pair.key) && scalarNodeText(pair.key as Node | null) === key,
  );
}

function isEmptyValue(node: Node | null): boolean {
  return node === null || (isScalar(node) && node.value === null);
}

export function locate(document: Document, segments: readonly (string | number)[]): Location {
  let node = document.contents as Node | null;
  let holder: Holder = { kind: "document" };
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const where = () => formatSegments(segments.slice(0, i)) || "the document root";
    if (isAlias(node)) {
      throw new ConfigError(
        ConfigErrorCode.AliasWrite,
        `cannot write ${formatSegments(segments)}: ${where()} is an alias (*${node.source}); writing through it would change every use of its anchor`,
        { path: formatSegments(segments) },
      );
    }
    if (isMap(node)) {
      const pair = ownPair(node, String(segment));
      const item =
        pair && (sourceToken(pair as unknown as Node) as unknown as CST.CollectionItem | undefined);
      if (!pair || !item) return { found: false, missingFrom: i, container: node, holder };
      holder = { kind: "map", map: node, pair, item };
      node = (pair.value as Node | null) ?? null;
      continue;
    }
    if (isSeq(node)) {
      const index = arrayIndex(segment);
      if (index === undefined) {
        throw new ConfigError(
          ConfigErrorCode.InvalidArrayIndex,
          `invalid array index ${JSON.stringify(String(segment))} at ${where()} in ${formatSegments(segments)}`,
          { path: formatSegments(segments) },
        );
      }
      if (index >= node.items.length) {
        throw new ConfigError(
          ConfigErrorCode.OutOfBounds,
          `index ${index} out of bounds at ${where()} (length ${node.items.length}) in ${formatSegments(segments)}`,
          { path: formatSegments(segments) },
        );
      }
      const item = sequenceItem(node, index);
      if (!item) throw internal(segments);
      holder = { kind: "seq", seq: node, index, item };
      node = (node.items[index] as Node | null) ?? null;
      continue;
    }
    if (isEmptyValue(node)) return { found: false, missingFrom: i, container: null, holder };
    throw new ConfigError(
      ConfigErrorCode.UnexpectedNodeKind,
      `unexpected node kind scalar at ${where()}: cannot reach ${formatSegments(segments)} through a scalar`,
      { path: formatSegments(segments) },
    );
  }
  return { found: true, node, holder };
}

function internal(segments: readonly (string | number)[]): ConfigError {
  return new ConfigError(
    ConfigErrorCode.UnexpectedNodeKind,
    `cannot find the source of ${formatSegments(segments)} in the document text`,
    { path: formatSegments(segments) },
  );
}

/**
 * Reads the node at a concrete path the way paths see documents: aliases followed and `<<` merge
 * keys applied. Undefined when the path does not exist. `holder` is where the entry is written in
 * the text (for an inherited key, the entry in the merge source).
 */
export function find(
  document: Document,
  segments: readonly (string | number)[],
  budget: AliasBudget = new AliasBudget(),
): { node: Node | null; holder: Holder } | undefined {
  let node = deref(document.contents as Node | null, document, budget);
  let holder: Holder = { kind: "document" };
  for (const segment of segments) {
    if (isMap(node)) {
      const entry = mapGet(node, String(segment), document, budget);
      const item =
        entry && (sourceToken(entry.pair as unknown as Node) as unknown as CST.CollectionItem | undefined);
      if (!entry || !item) return undefined;
      holder = { kind: "map", map: mapOf(entry.pair, node, document, budget), pair: entry.pair, item };
      node = entry.value;
    } else if (isSeq(node)) {
      const index = arrayIndex(segment);
      const item = index === undefined ? undefined : sequenceItem(node, index);
      if (index === undefined || index >= node.items.length || !item) return undefined;
      holder = { kind: "seq", seq: node, index, item };
      node = (node.items[index] as Node | null) ?? null;
    } else {
      return undefined;
    }
    const resolved = deref(node, document, budget);
    node = resolved;
  }
  return { node, holder };
}

// The map that really holds `pair` (a merge source for inherited keys).
function mapOf(pair: Pair, map: YAMLMap, document: Document, budget: AliasBudget): YAMLMap {
  if ((map.items as Pair[]).includes(pair)) return map;
  const stack: YAMLMap[] = [map];
  const seen = new Set<YAMLMap>();
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (seen.has(current)) continue;
    seen.add(current);
    if ((current.items as Pair[]).includes(pair)) return current;
    for (const p of current.items as Pair[]) {
      if (!isMergeKey(p.key)) continue;
      const value = deref(p.value as Node | null, document, budget);
      const sources = isSeq(value) ? (value.items as Node[]).map((n) => deref(n, document, budget)) : [value];
      for (const source of sources) if (isMap(source)) stack.push(source);
    }
  }
  return map;
}
