import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { mutationFunctions } from "../../functions/generic/mutations.ts";
import { FunctionRegistry, execute } from "../../src/engine/index.ts";
import type { ExecutionResult, ResourceMutation, ResourceMutationList } from "../../src/engine/index.ts";
import { conformanceGoldenData, plainDocuments } from "../support/function-runs.ts";

const registry = FunctionRegistry.from(mutationFunctions);
const CONFORMANCE = new URL("../../../shared/conformance/confighub-fctl/", import.meta.url);

function file(path: string): string {
  return readFileSync(new URL(path, CONFORMANCE), "utf8");
}

function goldenOutput(name: string): unknown {
  const text = file(`golden-output/${name}`);
  return JSON.parse(text.slice(text.indexOf("------\n") + 7));
}

async function run(
  configData: string,
  functionName: string,
  args: (string | number)[],
): Promise<ExecutionResult> {
  return execute({
    registry,
    configData,
    invocations: [{ FunctionName: functionName, Arguments: args.map((Value) => ({ Value })) }],
    options: { castStringArgsToScalars: true },
  });
}

async function failure(
  configData: string,
  functionName: string,
  args: (string | number)[],
): Promise<string[]> {
  const result = await run(configData, functionName, args);
  expect(result.success).toBe(false);
  expect(result.configData).toBe(configData);
  expect(result.mutators).toEqual([]);
  return result.errorMessages;
}

function mutation(
  type: string,
  name: string,
  kind: ResourceMutation["ResourceMutationInfo"]["MutationType"],
  paths: Record<string, [ResourceMutation["ResourceMutationInfo"]["MutationType"], string, boolean?]> = {},
  extra: Partial<ResourceMutation> & { value?: string; predicate?: boolean } = {},
): ResourceMutation {
  const { value = "", predicate = true, ...rest } = extra;
  return {
    Resource: {
      ResourceName: name,
      ResourceNameWithoutScope: name.split("/")[1] ?? name,
      ResourceType: type,
    },
    ResourceMutationInfo: { MutationType: kind, Index: 0, Predicate: predicate, Value: value },
    PathMutationMap: Object.fromEntries(
      Object.entries(paths).map(([path, [t, v, p = true]]) => [
        path,
        { MutationType: t, Index: 0, Predicate: p, Value: v },
      ]),
    ),
    ...rest,
  };
}

const json = (list: ResourceMutationList): string => JSON.stringify(list);

const UNIT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: prod
spec:
  replicas: 2 # tuned
  template:
    spec:
      containers:
      - name: main
        image: web:1
        env:
        - name: MODE
          value: fast
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: prod
data:
  mode: fast
  retries: 3
  debug: false
`;

describe("compute-mutations", () => {
  it("diffs the argument (previous) against the data (golden compute-mutations)", async () => {
    const result = await run(file("test-data/deployment10.yaml"), "compute-mutations", [
      file("test-data/deployment.yaml"),
      "0",
    ]);
    expect(result.errorMessages).toEqual([]);
    expect(result.outputType).toBe("ResourceMutationList");
    expect(result.output).toEqual(goldenOutput("compute-mutations.txt"));
  });

  it("records added, renamed and deleted resources at the given index", async () => {
    const previous = `apiVersion: v1
kind: ConfigMap
metadata:
  name: old
data: {a: b}
---
apiVersion: v1
kind: Secret
metadata:
  name: gone
`;
    const current = `apiVersion: v1
kind: ConfigMap
metadata:
  name: renamed
data: {a: b}
---
apiVersion: v1
kind: Service
metadata:
  name: new
`;
    const result = await run(current, "compute-mutations", [previous, 7, "true"]);
    const list = result.output as ResourceMutationList;
    expect(
      list.map((m) => [
        m.Resource.ResourceName,
        m.ResourceMutationInfo.MutationType,
        m.ResourceMutationInfo.Index,
      ]),
    ).toEqual([
      ["/renamed", "Update", 7],
      ["/new", "Add", 7],
      ["/gone", "Delete", 7],
    ]);
    expect(list[0]!.AliasesWithoutScopes).toEqual({ old: {}, renamed: {} });
    expect(list[0]!.PathMutationMap).toEqual({
      "metadata.name": { MutationType: "Update", Index: 7, Predicate: true, Value: "renamed\n" },
    });
  });

  it("reports previous data that does not parse, with its position", async () => {
    const messages = await failure(UNIT, "compute-mutations", ["a: [unclosed\n", 0]);
    expect(messages).toHaveLength(1);
    expect(messages).toEqual([
      "invalid config-doc-list: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 2, column 1 (document 0)",
    ]);
  });

  it("reports a previous document that is not a resource", async () => {
    const messages = await failure(UNIT, "compute-mutations", ["apiVersion: v1\nmetadata:\n  name: x\n", 0]);
    expect(messages[0]).toMatch(/^invalid config-doc-list: .*kind/);
  });
});

describe("patch-mutations", () => {
  it("patches what the patch changed (golden patch-mutations)", async () => {
    const result = await run(file("test-data/deployment.yaml"), "patch-mutations", [
      file("test-data/original-mutations.json"),
      file("test-data/patch-mutations.json"),
    ]);
    expect(result.errorMessages).toEqual([]);
    expect(plainDocuments(result.configData)).toEqual(conformanceGoldenData("patch-mutations.txt"));
  });

  it("keeps paths (and everything below them) that the predicates protect", async () => {
    const predicates = [
      mutation("apps/v1/Deployment", "prod/web", "Update", {
        "spec.replicas": ["Update", "5\n", false],
        "spec.template.spec.containers.0.env": ["Update", "", false],
      }),
    ];
    const patch = [
      mutation("apps/v1/Deployment", "prod/web", "Update", {
        "spec.replicas": ["Update", "9\n"],
        "spec.template.spec.containers.0.env.0.value": ["Update", "slow\n"],
        "spec.template.spec.containers.0.image": ["Update", "web:2\n"],
      }),
    ];
    const result = await run(UNIT, "patch-mutations", [json(predicates), json(patch)]);
    expect(result.errorMessages).toEqual([]);
    // Only the unprotected image changed; the comment on replicas is still there.
    expect(result.configData).toBe(UNIT.replace("image: web:1", "image: web:2"));
  });

  it("leaves a resource the predicates protect as a whole", async () => {
    const predicates = [mutation("v1/ConfigMap", "prod/settings", "Update", {}, { predicate: false })];
    const patch = [
      mutation("v1/ConfigMap", "prod/settings", "Update", { "data.mode": ["Update", "slow\n"] }),
    ];
    const result = await run(UNIT, "patch-mutations", [json(predicates), json(patch)]);
    expect(result.configData).toBe(UNIT);
    expect(result.mutators).toEqual([]);
  });

  it("adds, deletes and creates paths, and finds renamed resources through their aliases", async () => {
    const predicates = [
      mutation(
        "v1/ConfigMap",
        "prod/settings",
        "Update",
        {},
        { AliasesWithoutScopes: { settings: {}, config: {} } },
      ),
    ];
    const patch = [
      mutation("v1/ConfigMap", "prod/config", "Update", {
        "data.debug": ["Delete", "false\n"],
        "data.level": ["Add", "info\n"],
        "metadata.labels": ["Add", "tier: backend\n"],
      }),
    ];
    const result = await run(UNIT, "patch-mutations", [json(predicates), json(patch)]);
    expect(result.errorMessages).toEqual([]);
    expect(plainDocuments(result.configData)[1]).toEqual({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "settings", namespace: "prod", labels: { tier: "backend" } },
      data: { mode: "fast", retries: 3, level: "info" },
    });
  });

  it("deletes, replaces and appends whole resources (design §9: ConfigHub could not)", async () => {
    const patch = [
      mutation("v1/ConfigMap", "prod/settings", "Delete", {}, { value: "apiVersion: v1\nkind: ConfigMap\n" }),
      mutation(
        "apps/v1/Deployment",
        "prod/web",
        "Replace",
        {},
        {
          value:
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: prod\nspec:\n  replicas: 4\n",
        },
      ),
      mutation(
        "v1/Service",
        "prod/web",
        "Add",
        {},
        {
          value:
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: prod\nspec:\n  ports:\n  - port: 80\n",
        },
      ),
    ];
    const result = await run(UNIT, "patch-mutations", ["null", json(patch)]);
    expect(result.errorMessages).toEqual([]);
    expect(plainDocuments(result.configData)).toEqual([
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "web", namespace: "prod" },
        spec: { replicas: 4 },
      },
      {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "web", namespace: "prod" },
        spec: { ports: [{ port: 80 }] },
      },
    ]);
  });

  it("does not re-add a resource that is present but protected", async () => {
    const predicates = [mutation("v1/ConfigMap", "prod/settings", "Update", {}, { predicate: false })];
    const patch = [
      mutation(
        "v1/ConfigMap",
        "prod/settings",
        "Add",
        {},
        { value: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n" },
      ),
    ];
    const result = await run(UNIT, "patch-mutations", [json(predicates), json(patch)]);
    expect(result.configData).toBe(UNIT);
  });

  it("rejects malformed lists, values and paths with messages that say where, changing nothing", async () => {
    const patchOf = (paths: Parameters<typeof mutation>[3]) =>
      json([mutation("apps/v1/Deployment", "prod/web", "Update", paths)]);
    expect(await failure(UNIT, "patch-mutations", ["[", "[]"])).toEqual([
      expect.stringMatching(/^invalid mutation-predicates: not JSON: /),
    ]);
    expect(await failure(UNIT, "patch-mutations", ["[]", '{"a": 1}'])).toEqual([
      "invalid mutation-patch: the value must be a list of resource mutations",
    ]);
    expect(
      await failure(UNIT, "patch-mutations", [
        "[]",
        '[{"Resource": {"ResourceType": "v1/ConfigMap", "ResourceName": "x"}, "ResourceMutationInfo": {"MutationType": "Upsert"}}]',
      ]),
    ).toEqual([
      'invalid mutation-patch: [0].ResourceMutationInfo.MutationType must be one of None, Add, Update, Replace, Delete, not "Upsert"',
    ]);
    expect(
      await failure(UNIT, "patch-mutations", ["[]", '[{"ResourceMutationInfo": {"MutationType": "None"}}]']),
    ).toEqual(["invalid mutation-patch: [0].Resource must be an object"]);
    expect(
      await failure(UNIT, "patch-mutations", ["[]", patchOf({ "spec.replicas": ["Update", "[unclosed\n"] })]),
    ).toEqual([
      expect.stringMatching(
        /^invalid mutation-patch: the Value of spec\.replicas of apps\/v1\/Deployment prod\/web is not YAML: /,
      ),
    ]);
    expect(
      await failure(UNIT, "patch-mutations", ["[]", patchOf({ "spec.replicas.deeper": ["Update", "1\n"] })]),
    ).toEqual([
      expect.stringMatching(/^cannot patch spec\.replicas\.deeper of apps\/v1\/Deployment prod\/web: /),
    ]);
    expect(
      await failure(UNIT, "patch-mutations", ["[]", patchOf({ "spec.*.replicas": ["Update", "1\n"] })]),
    ).toEqual([
      "invalid path spec.*.replicas of apps/v1/Deployment prod/web: a mutation path names one node, without patterns or accessors",
    ]);
  });
});

describe("reset", () => {
  it("puts placeholders back where the predicates say so (golden reset)", async () => {
    const result = await run(file("test-data/all-in-one-resolved.yaml"), "reset", [
      file("test-data/reset-preds.json"),
    ]);
    expect(result.errorMessages).toEqual([]);
    expect(plainDocuments(result.configData)).toEqual(conformanceGoldenData("reset.txt"));
  });

  it("resets strings and ints only, and only paths with a true predicate that still exist", async () => {
    const predicates = [
      mutation("v1/ConfigMap", "prod/settings", "Update", {
        "data.mode": ["Update", "fast\n"],
        "data.retries": ["Update", "3\n"],
        "data.debug": ["Update", "false\n"],
        "data.missing": ["Update", "x\n"],
        "metadata.namespace": ["Update", "prod\n", false],
      }),
    ];
    const result = await run(UNIT, "reset", [json(predicates)]);
    expect(result.errorMessages).toEqual([]);
    expect(result.configData).toBe(
      UNIT.replace("  mode: fast\n", "  mode: confighubplaceholder\n").replace(
        "  retries: 3\n",
        "  retries: 999999999\n",
      ),
    );
  });

  it("rejects a malformed predicate list and changes nothing", async () => {
    expect(await failure(UNIT, "reset", ['[{"Resource": {"ResourceType": "v1/ConfigMap"}}]'])).toEqual([
      "invalid mutation-predicates: [0].Resource.ResourceName is missing",
    ]);
  });
});

// ConfigHub's MutationInfo.Value is the node's own YAML text, comments included (issue 14 §3): a
// comment in the modified data survives compute-mutations and patch-mutations onto another Unit.
describe("comments through compute-mutations and patch-mutations", () => {
  const ORIGINAL = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n";
  const COMMENT = "# this comment should be preserved";
  const FLOW = ORIGINAL.replace("  name: web\n", `  name: web\n  labels: {app: nginx ${COMMENT}\n  }\n`);
  const BLOCK = ORIGINAL.replace("  name: web\n", `  name: web\n  labels:\n    app: nginx ${COMMENT}\n`);
  const PATCHED = ORIGINAL.replace("  name: web\n", `  name: web\n  labels:\n    app: nginx ${COMMENT}\n`);

  async function computed(modified: string): Promise<ResourceMutationList> {
    const result = await run(modified, "compute-mutations", [ORIGINAL, 0]);
    expect(result.errorMessages).toEqual([]);
    return result.output as ResourceMutationList;
  }

  it.each([
    ["flow", FLOW, `{\n  app: nginx ${COMMENT}\n}\n`],
    ["block", BLOCK, `app: nginx ${COMMENT}\n`],
  ])(
    "records the comment in the Value of a changed %s map and patches it onto the original",
    async (_style, modified, value) => {
      const mutations = await computed(modified);
      expect(mutations[0]!.PathMutationMap).toEqual({
        "metadata.labels": { MutationType: "Add", Index: 0, Predicate: true, Value: value },
      });
      const patched = await run(ORIGINAL, "patch-mutations", ["[]", JSON.stringify(mutations)]);
      expect(patched.errorMessages).toEqual([]);
      expect(patched.configData).toBe(PATCHED);
    },
  );

  it("keeps a scalar's line comment, and renders comment-free values as before", async () => {
    const modified = BLOCK.replace("app: nginx", "app: web").replace("replicas: 1", "replicas: 3 # three");
    const paths = (await computed(modified))[0]!.PathMutationMap;
    expect(paths["spec.replicas"]!.Value).toBe("3 # three\n");
    expect((await computed(ORIGINAL.replace("replicas: 1", "replicas: 3")))[0]!.PathMutationMap).toEqual({
      "spec.replicas": { MutationType: "Update", Index: 0, Predicate: true, Value: "3\n" },
    });
    const target = ORIGINAL.replace("replicas: 1", "replicas: 1 # one replica");
    const patched = await run(target, "patch-mutations", ["[]", JSON.stringify(await computed(modified))]);
    expect(patched.configData).toBe(
      ORIGINAL.replace(
        "  name: web\n",
        "  name: web\n  labels:\n    app: web # this comment should be preserved\n",
      ).replace("replicas: 1", "replicas: 3 # three"),
    );
  });

  it("patches a target whose map is written in flow style, where a line comment cannot go", async () => {
    const target = ORIGINAL.replace("metadata:\n  name: web\n", "metadata: {name: web}\n");
    const patched = await run(target, "patch-mutations", ["[]", JSON.stringify(await computed(BLOCK))]);
    expect(patched.errorMessages).toEqual([]);
    expect(patched.configData).toBe(target.replace("{name: web}", "{name: web, labels: {app: nginx}}"));
  });
});
