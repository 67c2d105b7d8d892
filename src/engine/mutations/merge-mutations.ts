// AddMutations (spec §4.3): folds one function's mutations into the running list so the list describes
// the net effect of the whole sequence. Fixes over ConfigHub (design §9, docs/deviations.md):
// - a change at `p` supersedes earlier changes strictly below `p` by whole segments, so
//   `metadata.name` no longer wipes `metadata.namespace`;
// - Add then Delete of a path (or of a resource) cancels out instead of staying Add, and Update then
//   Delete is a Delete;
// - a change below a path the list already records as Add/Update/Replace refreshes that entry's Value
//   instead of adding an overlapping entry, and an added or replaced resource carries its latest text.
import type { MutationInfo, MutationMap, ResourceMutation } from "../types.ts";
import type { ComputedMutation, DocumentSnapshot } from "./compute-mutations.ts";
import { mutationKey } from "./compute-mutations.ts";
import { isDescendantPath, valueAtDotPath } from "./paths.ts";
import { renderYamlValue } from "./mutation-value-text.ts";

/** Merges `incoming` into `list` in place; `list` takes ownership of the incoming objects. */
export function mergeMutations(list: ResourceMutation[], incoming: readonly ComputedMutation[]): void {
  for (const { mutation: n, current } of incoming) {
    const at = findEntry(list, n);
    if (at < 0) {
      // The first mutating function seeds the list with every resource, None included (spec §4.3).
      list.push(n);
      continue;
    }
    const e = list[at]!;
    const nType = n.ResourceMutationInfo.MutationType;
    const eType = e.ResourceMutationInfo.MutationType;
    if (nType === "None") continue;
    if (eType === "Add" && nType === "Delete") {
      list.splice(at, 1);
      continue;
    }
    if (nType === "Delete" || nType === "Replace" || eType === "None") {
      list[at] = n;
      continue;
    }
    if (eType === "Delete") {
      list[at] = { ...n, ResourceMutationInfo: { ...n.ResourceMutationInfo, MutationType: "Replace" } };
      continue;
    }
    // e is Add, Update or Replace and n is Add or Update: merge n into e.
    e.Resource = { ...n.Resource };
    e.Aliases = { ...e.Aliases, ...n.Aliases };
    e.AliasesWithoutScopes = { ...e.AliasesWithoutScopes, ...n.AliasesWithoutScopes };
    if (eType === "Add" || eType === "Replace") {
      // The resource-level Value is the whole document; keep it current so it can be replayed.
      if (current) e.ResourceMutationInfo.Value = current.text();
      continue;
    }
    mergePaths(e.PathMutationMap, n.PathMutationMap, current);
    if (Object.keys(e.PathMutationMap).length === 0) {
      e.ResourceMutationInfo = { ...e.ResourceMutationInfo, MutationType: "None", Value: "" };
    }
  }
}

function findEntry(list: readonly ResourceMutation[], n: ResourceMutation): number {
  const key = mutationKey(n.Resource);
  const direct = list.findIndex((e) => mutationKey(e.Resource) === key);
  if (direct >= 0) return direct;
  for (const alias of Object.keys(n.AliasesWithoutScopes ?? {})) {
    const aliasKey = `${n.Resource.ResourceType}#${alias}`;
    const found = list.findIndex((e) => mutationKey(e.Resource) === aliasKey);
    if (found >= 0) return found;
  }
  return -1;
}

function mergePaths(
  existing: MutationMap,
  incoming: MutationMap,
  current: DocumentSnapshot | undefined,
): void {
  for (const [path, n] of Object.entries(incoming)) {
    for (const q of Object.keys(existing)) {
      if (isDescendantPath(q, path)) delete existing[q];
    }
    const ancestor = Object.keys(existing).find(
      (q) => isDescendantPath(path, q) && existing[q]!.MutationType !== "Delete",
    );
    if (ancestor !== undefined) {
      const value = valueAtDotPath(current?.value, ancestor);
      if (value !== undefined) {
        existing[ancestor] = {
          ...existing[ancestor]!,
          Index: n.Index,
          Predicate: n.Predicate,
          Value: current?.commentedText?.(ancestor) ?? renderYamlValue(value),
        };
        continue;
      }
    }
    const q = existing[path];
    if (!q) {
      existing[path] = { ...n };
      continue;
    }
    const merged = netEffect(q, n);
    if (merged === undefined) delete existing[path];
    else existing[path] = merged;
  }
}

/** The net effect of `q` followed by `n` on one path; undefined when they cancel out. */
function netEffect(q: MutationInfo, n: MutationInfo): MutationInfo | undefined {
  const latest = { Index: n.Index, Predicate: n.Predicate, Value: n.Value };
  if (n.MutationType === "Delete") {
    return q.MutationType === "Add" ? undefined : { MutationType: "Delete", ...latest };
  }
  if (q.MutationType === "Delete") return { MutationType: "Replace", ...latest };
  // Add stays Add, Replace stays Replace, Update stays Update.
  return { MutationType: q.MutationType, ...latest };
}
