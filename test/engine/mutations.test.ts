import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { computeChangedMutations, computeMutations } from "../../src/engine/mutations/compute-mutations.ts";
import type { DocumentSnapshot } from "../../src/engine/mutations/compute-mutations.ts";
import { diffDocument } from "../../src/engine/mutations/diff-document.ts";
import { mergeMutations } from "../../src/engine/mutations/merge-mutations.ts";
import { isDescendantPath, pointerToDotPath, valueAtDotPath } from "../../src/engine/mutations/paths.ts";
import type { ResourceMutation } from "../../src/engine/types.ts";

type Plain = Record<string, unknown>;

function snapshot(value: Plain): DocumentSnapshot {
  const metadata = value.metadata as Plain;
  const ns = (metadata.namespace as string | undefined) ?? "";
  return {
    info: {
      ResourceName: `${ns}/${String(metadata.name)}`,
      ResourceNameWithoutScope: String(metadata.name),
      ResourceType: `${String(value.apiVersion)}/${String(value.kind)}`,
      ResourceCategory: "Resource",
    },
    value,
    text: () => stringify(value),
  };
}

const sameType = (a: string, b: string) => a === b;
const similar = (a: string, b: string) => a.split("/").pop() === b.split("/").pop() || a === b;

const web = (replicas: number, extra: Plain = {}): Plain => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "prod", ...extra },
  spec: { replicas },
});
const settings = (extra: Plain = {}): Plain => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "settings", namespace: "prod", ...extra },
  data: { mode: "fast" },
});

describe("dot paths", () => {
  it("maps JSON pointers to dot paths in the path language, which reads them back", () => {
    const tree = {
      metadata: { annotations: { "confighub.com/key": "v", "a#b": "w", "~1": "t" } },
      l: [{ "0": 1 }],
    };
    const cases: [string, string][] = [
      ["/metadata/annotations/confighub.com~1key", "metadata.annotations.confighub~1com/key"],
      ["/metadata/annotations/a#b", 'metadata.annotations."a#b"'],
      ["/metadata/annotations/~01", "metadata.annotations.~01"],
      ["/l/0/0", "l.0.0"],
    ];
    for (const [pointer, path] of cases) {
      expect(pointerToDotPath(pointer, tree)).toBe(path);
      expect(valueAtDotPath(tree, path)).toBeDefined();
    }
  });

  it("compares paths by whole segments", () => {
    expect(isDescendantPath("metadata.namespace", "metadata.name")).toBe(false);
    expect(isDescendantPath("metadata.name.x", "metadata.name")).toBe(true);
    expect(isDescendantPath("metadata.name", "metadata.name")).toBe(false);
  });
});

describe("document diff (spec §4.2)", () => {
  it("records scalar updates, added keys with their subtree, and removed keys with the old value", () => {
    const changes = diffDocument(
      { a: 1, b: { c: "x" }, gone: { deep: true } },
      { a: 2, b: { c: "x", d: { e: 1 } } },
    );
    expect(changes).toEqual([
      { path: "a", type: "Update", value: 2 },
      { path: "b.d", type: "Add", value: { e: 1 } },
      { path: "gone", type: "Delete", value: { deep: true } },
    ]);
  });

  it("records an empty map that gains keys as one Update of the map", () => {
    expect(
      diffDocument({ resources: {} }, { resources: { requests: { cpu: "1" }, limits: { cpu: "2" } } }),
    ).toEqual([
      { path: "resources", type: "Update", value: { requests: { cpu: "1" }, limits: { cpu: "2" } } },
    ]);
  });

  it("compares arrays by position", () => {
    expect(diffDocument({ l: [1, 2, 3] }, { l: [1, 5] })).toEqual([
      { path: "l.1", type: "Update", value: 5 },
      { path: "l.2", type: "Delete", value: 3 },
    ]);
    expect(diffDocument({ l: [] }, { l: ["x"] })).toEqual([{ path: "l.0", type: "Add", value: "x" }]);
  });

  it("records a scalar becoming {} (ConfigHub drops it)", () => {
    expect(diffDocument({ a: "x" }, { a: {} })).toEqual([{ path: "a", type: "Update", value: {} }]);
  });

  it("escapes dots in keys", () => {
    expect(diffDocument({ m: { "confighub.com/k": "a" } }, { m: { "confighub.com/k": "b" } })).toEqual([
      { path: "m.confighub~1com/k", type: "Update", value: "b" },
    ]);
  });
});

describe("compute-mutations (spec §4.2)", () => {
  it("matches by identity and renders values as YAML", () => {
    const result = computeMutations(
      [snapshot(web(2)), snapshot(settings())],
      [snapshot(web(4)), snapshot(settings())],
      0,
      sameType,
    );
    expect(result.map((r) => r.mutation)).toEqual([
      {
        Resource: {
          ResourceName: "prod/web",
          ResourceNameWithoutScope: "web",
          ResourceType: "apps/v1/Deployment",
          ResourceCategory: "Resource",
        },
        ResourceMutationInfo: { MutationType: "Update", Index: 0, Predicate: true, Value: "" },
        PathMutationMap: {
          "spec.replicas": { MutationType: "Update", Index: 0, Predicate: true, Value: "4\n" },
        },
        Aliases: { "prod/web": {} },
        AliasesWithoutScopes: { web: {} },
      },
      expect.objectContaining({
        ResourceMutationInfo: { MutationType: "None", Index: 0, Predicate: true, Value: "" },
        PathMutationMap: {},
      }),
    ]);
  });

  it("lists added resources in order and deleted ones last, with the whole document as Value", () => {
    const previous = [snapshot(settings()), snapshot(web(1))];
    const modified = [snapshot(web(1)), snapshot({ ...settings(), metadata: { name: "other" } })];
    const types = computeMutations(previous, modified, 3, sameType).map((r) => [
      r.mutation.Resource.ResourceName,
      r.mutation.ResourceMutationInfo.MutationType,
    ]);
    // "other" is the cheapest same-type candidate for the old "settings", so it is a rename (Update).
    expect(types).toEqual([
      ["prod/web", "None"],
      ["/other", "Update"],
    ]);
    const added = computeMutations([snapshot(web(1))], [snapshot(web(1)), snapshot(settings())], 1, sameType);
    expect(added[1]!.mutation.ResourceMutationInfo).toEqual({
      MutationType: "Add",
      Index: 1,
      Predicate: true,
      Value: stringify(settings()),
    });
    const removed = computeMutations(
      [snapshot(settings()), snapshot(web(1))],
      [snapshot(web(1))],
      2,
      sameType,
    );
    expect(removed.map((r) => r.mutation.ResourceMutationInfo.MutationType)).toEqual(["None", "Delete"]);
    expect(removed[1]!.mutation.ResourceMutationInfo.Value).toBe(stringify(settings()));
  });

  it("tracks a rename through aliases", () => {
    const placeholder = { ...web(1), metadata: { name: "confighubplaceholder" } };
    const renamed = { ...web(1), metadata: { name: "myapp" } };
    const [m] = computeMutations([snapshot(placeholder)], [snapshot(renamed)], 0, sameType);
    expect(m!.mutation.Resource.ResourceName).toBe("/myapp");
    expect(m!.mutation.Aliases).toEqual({ "/confighubplaceholder": {}, "/myapp": {} });
    expect(m!.mutation.AliasesWithoutScopes).toEqual({ confighubplaceholder: {}, myapp: {} });
  });

  it("prefers the same type and full name when several candidates share a name", () => {
    const configMap = settings();
    const secret = { ...settings(), kind: "Secret" };
    const result = computeMutations(
      [snapshot(configMap), snapshot(secret)],
      [snapshot(secret), snapshot(configMap)],
      0,
      (a, b) =>
        similar(a, b) ||
        (a.endsWith("ConfigMap") && b.endsWith("Secret")) ||
        (a.endsWith("Secret") && b.endsWith("ConfigMap")),
    );
    expect(result.map((r) => r.mutation.ResourceMutationInfo.MutationType)).toEqual(["None", "None"]);
  });

  it("matches a previous document at most once", () => {
    const result = computeMutations([snapshot(web(1))], [snapshot(web(1)), snapshot(web(1))], 0, sameType);
    expect(result.map((r) => r.mutation.ResourceMutationInfo.MutationType)).toEqual(["None", "Add"]);
  });
});

describe("merging mutations across functions (spec §4.3 with design §9 fixes)", () => {
  function run(steps: Plain[][]): ResourceMutation[] {
    const list: ResourceMutation[] = [];
    for (let i = 1; i < steps.length; i++) {
      mergeMutations(
        list,
        computeMutations(steps[i - 1]!.map(snapshot), steps[i]!.map(snapshot), i - 1, sameType),
      );
    }
    return list;
  }

  it("reproduces the worked example of spec §4.4", () => {
    const s0 = [web(2), settings()];
    const s1 = [web(4), settings()];
    const s2 = [web(4, { annotations: { owner: "team-a" } }), settings({ annotations: { owner: "team-a" } })];
    const list: ResourceMutation[] = [];
    mergeMutations(list, computeMutations(s0.map(snapshot), s1.map(snapshot), 0, sameType));
    mergeMutations(list, computeMutations(s1.map(snapshot), s2.map(snapshot), 1, sameType));
    mergeMutations(list, computeMutations(s2.map(snapshot), [s2[0]!].map(snapshot), 3, sameType));
    expect(list).toEqual([
      {
        Resource: {
          ResourceName: "prod/web",
          ResourceNameWithoutScope: "web",
          ResourceType: "apps/v1/Deployment",
          ResourceCategory: "Resource",
        },
        ResourceMutationInfo: { MutationType: "Update", Index: 0, Predicate: true, Value: "" },
        PathMutationMap: {
          "metadata.annotations": {
            MutationType: "Add",
            Index: 1,
            Predicate: true,
            Value: "owner: team-a\n",
          },
          "spec.replicas": { MutationType: "Update", Index: 0, Predicate: true, Value: "4\n" },
        },
        Aliases: { "prod/web": {} },
        AliasesWithoutScopes: { web: {} },
      },
      {
        Resource: {
          ResourceName: "prod/settings",
          ResourceNameWithoutScope: "settings",
          ResourceType: "v1/ConfigMap",
          ResourceCategory: "Resource",
        },
        ResourceMutationInfo: {
          MutationType: "Delete",
          Index: 3,
          Predicate: true,
          Value: stringify(settings({ annotations: { owner: "team-a" } })),
        },
        PathMutationMap: {},
        Aliases: { "prod/settings": {} },
        AliasesWithoutScopes: { settings: {} },
      },
    ]);
  });

  it("does not let metadata.name supersede metadata.namespace (segment-aware prefixes)", () => {
    const a = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "n", namespace: "a" } };
    const b = { ...a, metadata: { name: "n", namespace: "b" } };
    const c = { ...a, metadata: { name: "n", namespace: "b", nameSuffix: "x" } };
    const list = run([[a], [b], [c]]);
    expect(Object.keys(list[0]!.PathMutationMap).sort()).toEqual([
      "metadata.nameSuffix",
      "metadata.namespace",
    ]);
  });

  it("cancels Add then Delete of a path, and makes Update then Delete a Delete", () => {
    const base = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "n" },
      data: { keep: "1", x: "old" },
    };
    const added = { ...base, data: { keep: "1", x: "old", y: "new" } };
    const removed = { ...base, data: { keep: "two", x: "old" } };
    const list = run([[base], [added], [removed]]);
    expect(list[0]!.PathMutationMap).toEqual({
      "data.keep": { MutationType: "Update", Index: 1, Predicate: true, Value: "two\n" },
    });
    const updated = { ...base, data: { keep: "1", x: "changed" } };
    const dropped = { ...base, data: { keep: "1" } };
    const list2 = run([[base], [updated], [dropped]]);
    expect(list2[0]!.PathMutationMap).toEqual({
      "data.x": { MutationType: "Delete", Index: 1, Predicate: true, Value: "changed\n" },
    });
  });

  it("turns Delete then Add of a path into Replace", () => {
    const base = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "n" }, data: { k: "v", x: "a" } };
    const list = run([[base], [{ ...base, data: { k: "v" } }], [{ ...base, data: { k: "v", x: "b" } }]]);
    expect(list[0]!.PathMutationMap).toEqual({
      "data.x": { MutationType: "Replace", Index: 1, Predicate: true, Value: "b\n" },
    });
  });

  it("folds a later change below an added node into that node's Value", () => {
    const base = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "n" } };
    const s1 = { ...base, metadata: { name: "n", labels: { a: "1" } } };
    const s2 = { ...base, metadata: { name: "n", labels: { a: "1", b: "2" } } };
    const list = run([[base], [s1], [s2]]);
    expect(list[0]!.PathMutationMap).toEqual({
      "metadata.labels": { MutationType: "Add", Index: 1, Predicate: true, Value: 'a: "1"\nb: "2"\n' },
    });
  });

  it("becomes None when later functions undo every change", () => {
    const base = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "n" }, data: { x: "1" } };
    const list = run([[base], [{ ...base, data: { x: "1", y: "2" } }], [base]]);
    expect(list[0]!.ResourceMutationInfo.MutationType).toBe("None");
    expect(list[0]!.PathMutationMap).toEqual({});
  });

  it("drops a resource that was added and then deleted, and replaces one deleted then re-added", () => {
    const list = run([[web(1)], [web(1), settings()], [web(1)]]);
    expect(list.map((m) => m.Resource.ResourceName)).toEqual(["prod/web"]);
    const list2 = run([[web(1), settings()], [web(1)], [web(1), settings({ labels: { a: "b" } })]]);
    expect(list2[1]!.ResourceMutationInfo.MutationType).toBe("Replace");
    expect(list2[1]!.ResourceMutationInfo.Index).toBe(1);
  });

  it("keeps an added resource's Value current when later functions edit it", () => {
    const list = run([[web(1)], [web(1), settings()], [web(1), settings({ labels: { a: "b" } })]]);
    expect(list[1]!.ResourceMutationInfo).toEqual({
      MutationType: "Add",
      Index: 0,
      Predicate: true,
      Value: stringify(settings({ labels: { a: "b" } })),
    });
    expect(list[1]!.PathMutationMap).toEqual({});
  });

  it("finds a renamed resource under its old name", () => {
    const placeholder = { ...web(1), metadata: { name: "confighubplaceholder" } };
    const renamed = { ...web(1), metadata: { name: "myapp" } };
    const scaled = { ...web(3), metadata: { name: "myapp" } };
    const list = run([[placeholder], [renamed], [scaled]]);
    expect(list).toHaveLength(1);
    expect(list[0]!.Resource.ResourceName).toBe("/myapp");
    expect(Object.keys(list[0]!.PathMutationMap).sort()).toEqual(["metadata.name", "spec.replicas"]);
  });
});

describe("incremental compute-mutations", () => {
  it("diffs only changed documents, and falls back to full matching when documents move", () => {
    const a = snapshot(web(1));
    const b = snapshot(settings());
    const changed = snapshot(web(2));
    expect(
      computeChangedMutations([a, b], [changed, b], 1, sameType).map((m) => m.mutation.Resource.ResourceName),
    ).toEqual(["prod/web"]);
    expect(computeChangedMutations([a, b], [a, b], 1, sameType)).toEqual([]);
    const reordered = computeChangedMutations([a, b], [b, changed], 1, sameType);
    expect(
      reordered.map((m) => [m.mutation.Resource.ResourceName, m.mutation.ResourceMutationInfo.MutationType]),
    ).toEqual([
      ["prod/settings", "None"],
      ["prod/web", "Update"],
    ]);
  });
});
