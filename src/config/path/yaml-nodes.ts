// Reading the composed `yaml` Document the way paths see it: keys by their text, aliases followed,
// `<<` merge keys applied (local keys win, earlier merge sources win over later ones).
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type Document,
  type Node,
  type Pair,
  type Scalar,
  type YAMLMap,
} from "yaml";
import { ConfigError, ConfigErrorCode } from "../errors.ts";

/** One key of a map as a path sees it. */
export interface MapEntry {
  readonly key: string;
  readonly value: Node | null;
  readonly pair: Pair;
  /** True when the key comes from a `<<` merge source rather than the map itself. */
  readonly inherited: boolean;
}

/** Counts alias dereferences during one operation, so no document can make a walk explode. */
export class AliasBudget {
  #left: number;
  constructor(limit = 100_000) {
    this.#left = limit;
  }
  spend(): void {
    if (--this.#left < 0) {
      throw new ConfigError(ConfigErrorCode.AliasLimit, "path resolution followed too many aliases");
    }
  }
}

/** The node an alias points to (or the node itself). */
export function deref(node: Node | null | undefined, document: Document, budget: AliasBudget): Node | null {
  let current: Node | null | undefined = node;
  for (let hops = 0; isAlias(current); hops++) {
    budget.spend();
    if (hops > 64) throw new ConfigError(ConfigErrorCode.AliasLimit, "alias chain is too long");
    current = current.resolve(document) ?? null;
  }
  return current ?? null;
}

/** The text a key or match compares against: strings as they are, other scalars by their source. */
export function scalarNodeText(node: Node | null): string | undefined {
  if (!isScalar(node)) return undefined;
  const value: unknown = node.value;
  if (typeof value === "string") return value;
  if (typeof value === "symbol") return undefined;
  if (typeof node.source === "string") return node.source;
  return value === null ? "" : String(value);
}

export function isMergeKey(key: unknown): boolean {
  if (!isScalar(key)) return false;
  const value: unknown = (key as Scalar).value;
  return value === "<<" || (typeof value === "symbol" && value.description === "<<");
}

/** The map's own entries, without `<<` merge pairs. */
function localEntries(map: YAMLMap): MapEntry[] {
  const entries: MapEntry[] = [];
  for (const pair of map.items as Pair[]) {
    if (isMergeKey(pair.key)) continue;
    const key = scalarNodeText(pair.key as Node | null);
    if (key !== undefined)
      entries.push({ key, value: (pair.value as Node | null) ?? null, pair, inherited: false });
  }
  return entries;
}

function hasMergeKey(map: YAMLMap): boolean {
  return (map.items as Pair[]).some((pair) => isMergeKey(pair.key));
}

/** Every key of a map in document order, merge sources included (spec: maps in document order). */
export function mapEntries(map: YAMLMap, document: Document, budget: AliasBudget, depth = 0): MapEntry[] {
  const entries = localEntries(map);
  if (!hasMergeKey(map)) return entries;
  if (depth > 32) throw new ConfigError(ConfigErrorCode.AliasLimit, "<< merge keys are nested too deeply");
  const seen = new Set(entries.map((e) => e.key));
  for (const pair of map.items as Pair[]) {
    if (!isMergeKey(pair.key)) continue;
    const value = deref(pair.value as Node | null, document, budget);
    const sources = isSeq(value) ? (value.items as Node[]).map((n) => deref(n, document, budget)) : [value];
    for (const source of sources) {
      if (!isMap(source)) continue;
      for (const entry of mapEntries(source, document, budget, depth + 1)) {
        if (seen.has(entry.key)) continue;
        seen.add(entry.key);
        entries.push({ ...entry, inherited: true });
      }
    }
  }
  return entries;
}

/** One key of a map (merge sources included), or undefined. */
export function mapGet(
  map: YAMLMap,
  key: string,
  document: Document,
  budget: AliasBudget,
): MapEntry | undefined {
  for (const pair of map.items as Pair[]) {
    if (!isMergeKey(pair.key) && scalarNodeText(pair.key as Node | null) === key) {
      return { key, value: (pair.value as Node | null) ?? null, pair, inherited: false };
    }
  }
  if (!hasMergeKey(map)) return undefined;
  return mapEntries(map, document, budget).find((e) => e.key === key);
}

/** Array index for a segment, or undefined when it is not a non-negative integer. */
export function arrayIndex(segment: string | number): number | undefined {
  if (typeof segment === "number") return Number.isSafeInteger(segment) && segment >= 0 ? segment : undefined;
  return /^\d{1,15}$/.test(segment) ? Number(segment) : undefined;
}
