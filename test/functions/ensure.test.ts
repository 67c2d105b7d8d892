import { describe, expect, it } from "vitest";
import { ensureContext } from "../../functions/generic/ensure-context.ts";
import { ensureNamespaces } from "../../functions/kubernetes/ensure.ts";
import { defineFunction } from "../../src/engine/function-definition.ts";
import { FunctionRegistry, execute } from "../../src/engine/index.ts";
import type { ExecuteRequest, ExecutionResult, FunctionContext } from "../../src/engine/index.ts";
import { conformanceGoldenData, conformanceTestData, plainDocuments } from "../support/function-runs.ts";

// Records the annotations it sees, to show ensure-context runs after it among saved invocations.
let seenBySetLabel: unknown;
const setOwnerLabel = defineFunction({
  toolchains: ["Kubernetes/YAML"],
  signature: {
    FunctionName: "test-set-owner",
    Description: "test helper: label every resource",
    Mutating: true,
  },
  invoke({ data }) {
    seenBySetLabel = (data.documents[0]!.toJS() as { metadata: { annotations?: unknown } }).metadata
      .annotations;
    for (const document of data.documents) document.set("metadata.labels.owner", "team-a", { upsert: true });
  },
});

const registry = FunctionRegistry.from([ensureNamespaces, ensureContext, setOwnerLabel]);

const CONTEXT: Partial<FunctionContext> = {
  UnitSlug: "mydeployment",
  SpaceID: "c73bbc39-7ad1-4f32-aba0-1ef0789c9571",
};

async function run(
  configData: string,
  functionName: string,
  args: string[] = [],
  extra: Partial<ExecuteRequest> = {},
): Promise<ExecutionResult> {
  return execute({
    registry,
    configData,
    context: CONTEXT,
    invocations: [{ FunctionName: functionName, Arguments: args.map((Value) => ({ Value })) }],
    options: { castStringArgsToScalars: true },
    ...extra,
  });
}

function expectUnchanged(result: ExecutionResult, input: string): void {
  expect(result.configData).toBe(input);
  expect(result.mutators).toEqual([]);
}

const MIXED = `# the app
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web # no namespace yet
spec:
  replicas: 1
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: reader
---
apiVersion: v1
kind: Namespace
metadata:
  name: prod
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {mode: fast}
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: staging
`;

describe("ensure-namespaces", () => {
  it("adds the placeholder namespace to a namespaced resource (golden ensure-namespaces-insert)", async () => {
    const input = conformanceTestData("service.yaml");
    const result = await run(input, "ensure-namespaces");
    expect(result.success).toBe(true);
    expect(plainDocuments(result.configData)).toEqual(conformanceGoldenData("ensure-namespaces-insert.txt"));
    // Only the new line is new: everything else keeps its bytes.
    expect(result.configData).toBe(
      input.replace("  name: my-service\n", "  name: my-service\n  namespace: confighubplaceholder\n"),
    );
  });

  it("leaves cluster-scoped resources and existing namespaces alone (golden ensure-namespaces-skipclusterscoped)", async () => {
    const input = conformanceTestData("all-in-one.yaml");
    expectUnchanged(await run(input, "ensure-namespaces"), input);
  });

  it("stamps only namespaced resources without a namespace, in block or flow style, keeping comments", async () => {
    const result = await run(MIXED, "ensure-namespaces");
    expect(result.success).toBe(true);
    expect(result.configData).toBe(
      MIXED.replace(
        "  name: web # no namespace yet\n",
        "  name: web # no namespace yet\n  namespace: confighubplaceholder\n",
      ).replace("metadata: {name: settings}", "metadata: {name: settings, namespace: confighubplaceholder}"),
    );
    expect(result.mutations.map((m) => [m.Resource.ResourceName, Object.keys(m.PathMutationMap)])).toEqual([
      ["confighubplaceholder/web", ["metadata.namespace"]],
      ["/reader", []],
      ["/prod", []],
      ["confighubplaceholder/settings", ["metadata.namespace"]],
      ["staging/web", []],
    ]);
  });

  it("rejects a resource name containing / and changes nothing", async () => {
    const input = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a/b\n";
    const result = await run(input, "ensure-namespaces");
    expect(result.success).toBe(false);
    expect(result.errorMessages).toEqual(["improperly formatted resource name /a/b (document 0)"]);
    expectUnchanged(result, input);
  });

  it("reports a resource without a name", async () => {
    const input = "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: b\n";
    const result = await run(input, "ensure-namespaces");
    expect(result.success).toBe(false);
    expect(result.errorMessages[0]).toMatch(/name/);
    expectUnchanged(result, input);
  });
});

describe("ensure-context", () => {
  it("appends the Unit's slug and Space ID to the annotations (golden ensure-context-true)", async () => {
    const result = await run(conformanceTestData("deployment.yaml"), "ensure-context", ["true"]);
    expect(result.success).toBe(true);
    expect(plainDocuments(result.configData)).toEqual(conformanceGoldenData("ensure-context-true.txt"));
  });

  it("creates annotations where there are none and is idempotent", async () => {
    const first = await run(MIXED, "ensure-context", ["true"]);
    expect(first.success).toBe(true);
    const documents = plainDocuments(first.configData) as { metadata: { annotations: unknown } }[];
    for (const document of documents) {
      expect(document.metadata.annotations).toEqual({
        "confighub.com/UnitSlug": "mydeployment",
        "confighub.com/SpaceID": "c73bbc39-7ad1-4f32-aba0-1ef0789c9571",
      });
    }
    expect(first.configData).toContain(
      "metadata: {name: settings, annotations: {confighub.com/UnitSlug: mydeployment",
    );
    expectUnchanged(await run(first.configData, "ensure-context", ["true"]), first.configData);
  });

  it("removes the context cleanly, also from resources without annotations (design §9)", async () => {
    expectUnchanged(await run(MIXED, "ensure-context", ["false"]), MIXED);
    const added = await run(MIXED, "ensure-context", ["true"]);
    const removed = await run(added.configData, "ensure-context", ["false"]);
    expect(removed.success).toBe(true);
    // The round trip gives back the original bytes: no `annotations: {}` left behind.
    expect(removed.configData).toBe(MIXED);
  });

  it("keeps other annotations and removes RevisionNum too", async () => {
    const input = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  annotations:
    confighub.com/RevisionNum: "4"
    owner: team-a # keep
    confighub.com/UnitSlug: old
`;
    const result = await run(input, "ensure-context", ["false"]);
    expect(result.configData).toBe(`apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  annotations:
    owner: team-a # keep
`);
  });

  it("runs after the ordinary saved functions, stamping the final content", async () => {
    seenBySetLabel = "not run";
    const result = await execute({
      registry,
      configData: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n",
      context: CONTEXT,
      invocations: [],
      saved: [
        { FunctionName: "ensure-context", Arguments: [{ Value: true }] },
        { FunctionName: "test-set-owner", Arguments: [] },
      ],
    });
    expect(result.success).toBe(true);
    expect(seenBySetLabel).toBeUndefined();
    expect(registry.lookup("Kubernetes/YAML", "ensure-context")?.signature.FinalMutating).toBe(true);
  });

  it("rejects an add-context that is not a boolean", async () => {
    const input = conformanceTestData("deployment.yaml");
    const result = await run(input, "ensure-context", ["maybe"]);
    expect(result.success).toBe(false);
    expect(result.errorMessages[0]).toMatch(/^cannot convert argument add-context value maybe to bool/);
    expectUnchanged(result, input);
  });
});
