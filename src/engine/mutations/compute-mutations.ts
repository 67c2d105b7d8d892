// compute-mutations (spec §4.2): matches each modified document with a previous one by identity and
// diffs the pair into a ResourceMutationList. Deliberate differences (docs/deviations.md):
// - a previous document is matched at most once (ConfigHub may match one twice);
// - a name match prefers the same type and the full name over a similar type or the scope-less name,
//   so `ns1/web` and `ns2/web`, or a ConfigMap and a Secret of one name, are not confused.
import type { MutationMap, ResourceInfo, ResourceMutation } from "../types.ts";
import { diffDocument } from "./diff-document.ts";
import type { PathChange } from "./diff-document.ts";
import { renderYamlValue } from "./mutation-value-text.ts";

/** One document as the diff sees it. */
export interface DocumentSnapshot {
  readonly info: ResourceInfo;
  /** Plain value (the document's toJS()). */
  readonly value: unknown;
  /** The document's YAML text (Value of a whole-document Add or Delete); called only when needed. */
  text(): string;
  /**
   * The YAML text of the node at a dot path with the comments inside it, or undefined when it has
   * none. Given, a path's Value keeps the node's comments (ConfigHub's Value is the node's own text);
   * without it, Values are rendered from plain values.
   */
  commentedText?(path: string): string | undefined;
}

/** A ResourceMutation plus the modified document it describes, which merging needs for net effects. */
export interface ComputedMutation {
  mutation: ResourceMutation;
  current: DocumentSnapshot | undefined;
}

export type SimilarTypes = (a: string, b: string) => boolean;

export function computeMutations(
  previous: readonly DocumentSnapshot[],
  modified: readonly DocumentSnapshot[],
  index: number,
  similarTypes: SimilarTypes,
): ComputedMutation[] {
  const matched = new Array<boolean>(previous.length).fill(false);
  const result: ComputedMutation[] = [];
  let modifiedLines: number | undefined;

  modified.forEach((m, position) => {
    const candidates: number[] = [];
    for (let i = 0; i < previous.length; i++) {
      const p = previous[i]!;
      if (
        !matched[i] &&
        category(p.info) === category(m.info) &&
        similarTypes(p.info.ResourceType, m.info.ResourceType)
      ) {
        candidates.push(i);
      }
    }
    let chosen = byName(previous, candidates, m.info, position);
    let changes: PathChange[] | undefined;
    if (chosen === undefined && candidates.length > 0) {
      // No name matches: the cheapest diff wins, unless it rewrites more paths than the data has lines.
      let best: { i: number; changes: PathChange[] } | undefined;
      for (const i of candidates) {
        const diff = diffDocument(previous[i]!.value, m.value);
        if (!best || diff.length < best.changes.length) best = { i, changes: diff };
      }
      modifiedLines ??= modified.reduce((n, d) => n + countNewlines(d.text()), 0);
      if (best && best.changes.length / Math.max(modifiedLines, 1) <= 1) {
        chosen = best.i;
        changes = best.changes;
      }
    }
    if (chosen === undefined) {
      result.push({ mutation: added(m, index), current: m });
      return;
    }
    matched[chosen] = true;
    const p = previous[chosen]!;
    changes ??= diffDocument(p.value, m.value);
    result.push({ mutation: pairMutation(p, m, changes, index), current: m });
  });

  previous.forEach((p, i) => {
    if (!matched[i]) result.push({ mutation: deleted(p, index), current: undefined });
  });
  return result;
}

/** Best name match among candidates: same type and full name first, then looser combinations. */
function byName(
  previous: readonly DocumentSnapshot[],
  candidates: readonly number[],
  info: ResourceInfo,
  position: number,
): number | undefined {
  // Fast path: documents usually keep their order.
  const same = previous[position];
  if (same && candidates.includes(position) && sameIdentity(same.info, info)) return position;
  let best: { i: number; rank: number } | undefined;
  for (const i of candidates) {
    const p = previous[i]!.info;
    const fullName = p.ResourceName === info.ResourceName;
    if (!fullName && scopeless(p) !== scopeless(info)) continue;
    const rank = (p.ResourceType === info.ResourceType ? 0 : 2) + (fullName ? 0 : 1);
    if (!best || rank < best.rank) best = { i, rank };
  }
  return best?.i;
}

export function sameIdentity(a: ResourceInfo, b: ResourceInfo): boolean {
  return (
    a.ResourceType === b.ResourceType && a.ResourceName === b.ResourceName && category(a) === category(b)
  );
}

function added(m: DocumentSnapshot, index: number): ResourceMutation {
  return {
    Resource: resourceInfo(m.info),
    ResourceMutationInfo: { MutationType: "Add", Index: index, Predicate: true, Value: m.text() },
    PathMutationMap: {},
    Aliases: { [m.info.ResourceName]: {} },
    AliasesWithoutScopes: { [scopeless(m.info)]: {} },
  };
}

function deleted(p: DocumentSnapshot, index: number): ResourceMutation {
  return {
    Resource: resourceInfo(p.info),
    ResourceMutationInfo: { MutationType: "Delete", Index: index, Predicate: true, Value: p.text() },
    PathMutationMap: {},
    Aliases: { [p.info.ResourceName]: {} },
    AliasesWithoutScopes: { [scopeless(p.info)]: {} },
  };
}

/** The mutation of a matched pair: Update with its path changes, or None when there are none. */
export function pairMutation(
  p: DocumentSnapshot,
  m: DocumentSnapshot,
  changes: PathChange[],
  index: number,
): ResourceMutation {
  const paths: MutationMap = {};
  for (const change of changes) {
    paths[change.path] = {
      MutationType: change.type,
      Index: index,
      Predicate: true,
      Value: (change.type === "Delete" ? p : m).commentedText?.(change.path) ?? renderYamlValue(change.value),
    };
  }
  return {
    Resource: resourceInfo(m.info),
    ResourceMutationInfo: {
      MutationType: changes.length > 0 ? "Update" : "None",
      Index: index,
      Predicate: true,
      Value: "",
    },
    PathMutationMap: paths,
    Aliases: { [p.info.ResourceName]: {}, [m.info.ResourceName]: {} },
    AliasesWithoutScopes: { [scopeless(p.info)]: {}, [scopeless(m.info)]: {} },
  };
}

/** Go field order; ResourceCategory is omitted when empty. */
function resourceInfo(info: ResourceInfo): ResourceInfo {
  return {
    ResourceName: info.ResourceName,
    ResourceNameWithoutScope: info.ResourceNameWithoutScope,
    ResourceType: info.ResourceType,
    ...(info.ResourceCategory ? { ResourceCategory: info.ResourceCategory } : {}),
  };
}

function category(info: ResourceInfo): string {
  return info.ResourceCategory ?? "";
}

/** Spec §4.1: the scope-less name, or what follows the first `/` of the name when that is empty. */
export function scopeless(info: ResourceInfo): string {
  if (info.ResourceNameWithoutScope) return info.ResourceNameWithoutScope;
  const slash = info.ResourceName.indexOf("/");
  return slash < 0 ? info.ResourceName : info.ResourceName.slice(slash + 1);
}

/** `type#scopelessName`, the key mutations are matched by (spec §4.1). */
export function mutationKey(info: ResourceInfo): string {
  return `${info.ResourceType}#${scopeless(info)}`;
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/**
 * compute-mutations for a list that already records every resource: when the documents kept their
 * number and positions (same identities), only the changed ones are diffed, because the None entries
 * of the others would merge into nothing. Anything else (added, removed, renamed, reordered) takes the
 * full computation. Merged, the result is the same as merging computeMutations' result.
 */
export function computeChangedMutations(
  previous: readonly DocumentSnapshot[],
  modified: readonly DocumentSnapshot[],
  index: number,
  similarTypes: SimilarTypes,
): ComputedMutation[] {
  if (previous.length !== modified.length) return computeMutations(previous, modified, index, similarTypes);
  const result: ComputedMutation[] = [];
  for (let i = 0; i < modified.length; i++) {
    const p = previous[i]!;
    const m = modified[i]!;
    if (p.value === m.value) continue;
    if (!sameIdentity(p.info, m.info)) return computeMutations(previous, modified, index, similarTypes);
    const changes = diffDocument(p.value, m.value);
    if (changes.length > 0) result.push({ mutation: pairMutation(p, m, changes, index), current: m });
  }
  return result;
}
