// Metadata getters and setters (spec §5.3) through the executor: namespaces (namespaced vs
// cluster-scoped, references that follow), annotations and labels (keys with dots and slashes).
import { describe, expect, it } from "vitest";
import { functionRunner } from "../support/function-runs.ts";
import type { AttributeValue, ExecutionResult } from "../../src/engine/index.ts";

const run = functionRunner();

function values(result: ExecutionResult): [string, string, string, unknown][] {
  expect(result.errorMessages).toEqual([]);
  return (result.output as AttributeValue[]).map((a) => [a.ResourceType, a.ResourceName, a.Path, a.Value]);
}

function expectUnchanged(result: ExecutionResult, input: string): void {
  expect(result.configData).toBe(input);
  expect(result.dataChanged).toBe(false);
}

const UNIT = `apiVersion: v1
kind: Namespace
metadata:
  name: team
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings # no namespace yet
data:
  mode: fast
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: readers
subjects:
  - kind: ServiceAccount
    name: reader
    namespace: old
  - kind: Group
    name: auditors
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: old # owned by team web
  labels: {tier: front}
  annotations:
    example.com/owner: team-a
spec: {}
---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata:
  name: v1beta1.metrics.k8s.io
spec:
  service:
    name: metrics-server
    namespace: old
`;

describe("get-namespace", () => {
  it("lists metadata.namespace of namespaced resources and the references that follow it", async () => {
    const result = await run(UNIT, "get-namespace");
    expect(values(result)).toEqual([
      ["apiregistration.k8s.io/v1/APIService", "/v1beta1.metrics.k8s.io", "spec.service.namespace", "old"],
      ["rbac.authorization.k8s.io/v1/ClusterRoleBinding", "/readers", "subjects.0.namespace", "old"],
      ["v1/Service", "old/web", "metadata.namespace", "old"],
    ]);
    const service = (result.output as AttributeValue[])[2]!;
    expect(service.AttributeName).toBe("resource-name");
    expect(service.Comment).toBe("# owned by team web");
    expect(service.Info).toEqual({
      SetterInvocations: [
        {
          FunctionName: "set-references-of-type",
          Arguments: [{ ParameterName: "resource-type", Value: "v1/Namespace" }],
        },
      ],
    });
  });
});

describe("set-namespace", () => {
  it("sets namespaces and references, gives a namespaced resource without one a namespace, and never touches cluster-scoped resources", async () => {
    const result = await run(UNIT, "set-namespace", ["prod"]);
    expect(result.success).toBe(true);
    expect(result.configData).toBe(
      UNIT.replace(
        "  name: settings # no namespace yet\n",
        "  name: settings # no namespace yet\n  namespace: prod\n",
      )
        .replace("    name: reader\n    namespace: old", "    name: reader\n    namespace: prod")
        .replace("  namespace: old # owned by team web", "  namespace: prod # owned by team web")
        .replace(
          "    name: metrics-server\n    namespace: old",
          "    name: metrics-server\n    namespace: prod",
        ),
    );
    // The Namespace keeps its name and gets no namespace; the Group subject gets none either.
    expect(result.configData).toContain("kind: Namespace\nmetadata:\n  name: team\n---");
    expect(result.configData).toContain("  - kind: Group\n    name: auditors\n---");
  });

  it("is a no-op when every namespace already has the value", async () => {
    const input = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: prod\n";
    const result = await run(input, "set-namespace", ["prod"]);
    expectUnchanged(result, input);
    expect(result.mutators).toEqual([]);
  });

  it("follows RoleBinding subjects (golden rolebinding case, with a User subject left alone)", async () => {
    const input = `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: rb
  namespace: a
subjects:
  - kind: ServiceAccount
    name: sa
    namespace: a
  - kind: User
    name: jane
`;
    const result = await run(input, "set-namespace", ["b"]);
    expect(result.configData).toBe(input.replace(/namespace: a/g, "namespace: b"));
  });
});

describe("get-annotation and set-annotation", () => {
  it("read an annotation whose key has dots and a slash, binding the key in Info", async () => {
    const result = await run(UNIT, "get-annotation", ["example.com/owner"]);
    expect(values(result)).toEqual([
      ["v1/Service", "old/web", "metadata.annotations.example~1com/owner", "team-a"],
    ]);
    expect((result.output as AttributeValue[])[0]!.Info).toEqual({
      GetterInvocation: {
        FunctionName: "get-annotation",
        Arguments: [{ ParameterName: "annotation-key", Value: "example.com/owner" }],
      },
      SetterInvocations: [
        {
          FunctionName: "set-annotation",
          Arguments: [{ ParameterName: "annotation-key", Value: "example.com/owner" }],
        },
      ],
    });
  });

  it("update an existing annotation and add it (with the annotations map) where it is missing", async () => {
    const result = await run(UNIT, "set-annotation", ["example.com/owner", "team-b"]);
    const after = values(await run(result.configData, "get-annotation", ["example.com/owner"]));
    expect(after.map(([type, , , value]) => [type, value])).toEqual([
      ["apiregistration.k8s.io/v1/APIService", "team-b"],
      ["rbac.authorization.k8s.io/v1/ClusterRoleBinding", "team-b"],
      ["v1/ConfigMap", "team-b"],
      ["v1/Namespace", "team-b"],
      ["v1/Service", "team-b"],
    ]);
    expect(result.configData).toContain("  name: team\n  annotations:\n    example.com/owner: team-b\n---");
    expect(result.configData).toContain("  annotations:\n    example.com/owner: team-b\nspec: {}");
  });

  it("quote a value that would otherwise read as another type", async () => {
    const input = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n";
    const result = await run(input, "set-annotation", ["replicas", "3"]);
    expect(result.configData).toBe(`${input}  annotations:\n    replicas: "3"\n`);
    expect(values(await run(result.configData, "get-annotation", ["replicas"]))[0]![3]).toBe("3");
  });

  it("treat a key with path characters as one literal key", async () => {
    const input = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n";
    const result = await run(input, "set-annotation", ["a.b~1c#d:e=f", "v"]);
    expect(result.configData).toBe(`${input}  annotations:\n    a.b~1c#d:e=f: v\n`);
  });
});

describe("get-label and set-label", () => {
  it("add app.kubernetes.io/name as one key, in flow maps in flow style", async () => {
    const result = await run(UNIT, "set-label", ["app.kubernetes.io/name", "web"]);
    expect(result.configData).toContain("labels: {tier: front, app.kubernetes.io/name: web}");
    const labels = values(await run(result.configData, "get-label", ["app.kubernetes.io/name"]));
    expect(labels).toHaveLength(5);
    expect(
      labels.every(
        ([, , path, value]) => path === "metadata.labels.app~1kubernetes~1io/name" && value === "web",
      ),
    ).toBe(true);
  });

  it("do not touch selectors", async () => {
    const input = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  selector:
    matchLabels:
      app: web
`;
    const result = await run(input, "set-label", ["app", "api"]);
    expect(result.configData).toBe(input.replace("  labels:\n    app: web", "  labels:\n    app: api"));
  });

  it("return nothing for a label no resource has", async () => {
    expect(values(await run(UNIT, "get-label", ["missing"]))).toEqual([]);
  });
});

describe("argument errors", () => {
  it("report missing and unknown arguments with ConfigHub's texts, changing nothing", async () => {
    const missing = await run(UNIT, "set-label", ["tier"]);
    expect(missing.success).toBe(false);
    expect(missing.errorMessages).toEqual([
      "insufficient arguments: got 1, expected 2: label-key (required), label-value (required)",
    ]);
    expect(missing.configData).toBe(UNIT);
    const extra = await run(UNIT, "get-namespace", ["prod"]);
    expect(extra.errorMessages).toEqual(["too many arguments: got 1, the function takes none"]);
  });
});
