// Property: after any sequence of edits, the merged mutation list describes the net effect. Every
// recorded path holds its final value (or is gone, for Delete), and every difference between the first
// and the last version lies at or below a recorded path.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { computeChangedMutations, computeMutations } from "../../src/engine/mutations/compute-mutations.ts";
import type { DocumentSnapshot } from "../../src/engine/mutations/compute-mutations.ts";
import { diffDocument } from "../../src/engine/mutations/diff-document.ts";
import { mergeMutations } from "../../src/engine/mutations/merge-mutations.ts";
import { isDescendantPath, valueAtDotPath } from "../../src/engine/mutations/paths.ts";
import { renderYamlValue } from "../../src/engine/mutations/mutation-value-text.ts";
import type { ResourceMutation } from "../../src/engine/types.ts";

type Tree = { [key: string]: Tree | string };

const KEYS = ["a", "b", "c.d", "e"];

const edit = fc.record({
  path: fc.array(fc.constantFrom(...KEYS), { minLength: 1, maxLength: 3 }),
  action: fc.constantFrom("set", "delete", "map"),
  value: fc.constantFrom("x", "y", "z"),
});

function apply(tree: Tree, e: { path: string[]; action: string; value: string }): Tree {
  const copy = structuredClone(tree);
  let node: Tree = copy;
  for (const key of e.path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== "object") {
      node[key] = {};
    }
    node = node[key] as Tree;
  }
  const last = e.path[e.path.length - 1]!;
  if (e.action === "delete") delete node[last];
  else node[last] = e.action === "map" ? { [e.value]: e.value } : e.value;
  return copy;
}

function snapshot(data: Tree): DocumentSnapshot {
  const value = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "m" }, data };
  return {
    info: {
      ResourceName: "/m",
      ResourceNameWithoutScope: "m",
      ResourceType: "v1/ConfigMap",
      ResourceCategory: "Resource",
    },
    value,
    text: () => stringify(value),
  };
}

describe("merged mutations describe the net effect", () => {
  it("holds for random edit sequences", () => {
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 8 }), (edits) => {
        const versions: Tree[] = [{ a: "1", b: { e: "2" } }];
        for (const e of edits) versions.push(apply(versions[versions.length - 1]!, e));
        const list: ResourceMutation[] = [];
        const incremental: ResourceMutation[] = [];
        for (let i = 1; i < versions.length; i++) {
          const previous = [snapshot(versions[i - 1]!)];
          const current = [snapshot(versions[i]!)];
          mergeMutations(
            list,
            computeMutations(previous, current, i - 1, () => true),
          );
          const compute = i === 1 ? computeMutations : computeChangedMutations;
          mergeMutations(
            incremental,
            compute(previous, current, i - 1, () => true),
          );
        }
        // Diffing only the changed documents after the first mutator merges to the same list.
        expect(incremental).toEqual(list);
        const first = snapshot(versions[0]!).value;
        const final = snapshot(versions[versions.length - 1]!).value;
        const entry = list[0]!;
        const paths = entry.PathMutationMap;
        for (const [path, info] of Object.entries(paths)) {
          const value = valueAtDotPath(final, path);
          if (info.MutationType === "Delete") expect(value, path).toBeUndefined();
          else expect(info.Value, path).toBe(renderYamlValue(value));
        }
        for (const change of diffDocument(first, final)) {
          const covered = Object.keys(paths).some(
            (p) => p === change.path || isDescendantPath(change.path, p),
          );
          expect(covered, `${change.path} is not covered by ${Object.keys(paths).join(", ")}`).toBe(true);
        }
        const recorded = Object.keys(paths).length > 0;
        expect(entry.ResourceMutationInfo.MutationType).toBe(recorded ? "Update" : "None");
        // No two recorded paths overlap.
        for (const p of Object.keys(paths)) {
          for (const q of Object.keys(paths)) expect(isDescendantPath(p, q), `${p} under ${q}`).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });
});
