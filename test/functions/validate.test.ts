import net from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { validate } from "../../functions/kubernetes/validate.ts";
import { FunctionRegistry, execute } from "../../src/engine/index.ts";
import type { ExecutionResult, ValidationResult } from "../../src/engine/index.ts";
import { conformanceTestData } from "../support/function-runs.ts";

const registry = FunctionRegistry.from([validate]);

async function run(configData: string): Promise<ExecutionResult> {
  return execute({
    registry,
    configData,
    invocations: [{ FunctionName: "validate", Arguments: [] }],
    options: { combineValidationResults: true },
  });
}

async function validation(configData: string): Promise<ValidationResult> {
  const result = await run(configData);
  expect(result.errorMessages.filter((m) => !m.startsWith("function failed"))).toEqual([]);
  expect(result.configData).toBe(configData);
  return result.output as ValidationResult;
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: prod
  labels:
    app.kubernetes.io/name: web # any label key is allowed
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      initContainers:
      - name: migrate
        image: ghcr.io/example/migrate:1
      containers:
      - name: main
        image: ghcr.io/example/web:1
        resources:
          requests:
            cpu: 1
            memory: 128Mi
      - name: sidecar
        image: otel/opentelemetry-collector:latest
`;

describe("validate", () => {
  afterEach(() => vi.restoreAllMocks());

  it("passes the conformance inputs, with no Details when nothing was skipped", async () => {
    for (const file of [
      "deployment.yaml",
      "all-in-one.yaml",
      "hpa.yaml",
      "rolebinding.yaml",
      "service.yaml",
    ]) {
      expect(await validation(conformanceTestData(file)), file).toEqual({ Passed: true, Index: 0 });
    }
  });

  it("accepts free-form maps and numeric quantities, across containers and init containers", async () => {
    expect(await validation(DEPLOYMENT)).toEqual({ Passed: true, Index: 0 });
  });

  it("fails unknown fields (strict mode) and names resource and path of each", async () => {
    const input = DEPLOYMENT.replace(
      "        image: ghcr.io/example/migrate:1\n",
      "        image: ghcr.io/example/migrate:1\n        imagePullPolcy: Always\n",
    ).replace("  replicas: 2\n", "  replicas: 2\n  replica: 3\n");
    const result = await validation(input);
    expect(result.Passed).toBe(false);
    expect(result.Details).toEqual([
      'resource apps/v1/Deployment prod/web: spec.replica: unknown field "replica"',
      'resource apps/v1/Deployment prod/web: spec.template.spec.initContainers.0.imagePullPolcy: unknown field "imagePullPolcy"',
    ]);
    expect(result.FailedAttributes).toEqual([
      {
        ResourceName: "prod/web",
        ResourceNameWithoutScope: "web",
        ResourceType: "apps/v1/Deployment",
        ResourceCategory: "Resource",
        Path: "spec.replica",
        DataType: "int",
        Value: 3,
      },
      {
        ResourceName: "prod/web",
        ResourceNameWithoutScope: "web",
        ResourceType: "apps/v1/Deployment",
        ResourceCategory: "Resource",
        Path: "spec.template.spec.initContainers.0.imagePullPolcy",
        DataType: "string",
        Value: "Always",
      },
    ]);
  });

  it("reports wrong types and missing required fields at their own path, in document order", async () => {
    const input = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: "3"
  template:
    spec:
      containers:
      - image: nginx
        ports:
        - containerPort: http
`;
    const result = await validation(input);
    expect(result.Passed).toBe(false);
    expect(result.Details).toEqual([
      "resource apps/v1/Deployment web: spec.replicas: must be integer",
      "resource apps/v1/Deployment web: spec.template.spec.containers.0.ports.0.containerPort: must be integer",
      "resource apps/v1/Deployment web: spec.template.spec.containers.0.name: required field is missing",
      "resource apps/v1/Deployment web: spec.selector: required field is missing",
    ]);
    expect(result.FailedAttributes?.map((a) => [a.Path, a.DataType, a.Value])).toEqual([
      ["spec.replicas", "string", "3"],
      ["spec.template.spec.containers.0.ports.0.containerPort", "string", "http"],
      ["spec.template.spec.containers.0.name", "", null],
      ["spec.selector", "", null],
    ]);
  });

  it("validates cluster-scoped and namespaced resources alike", async () => {
    const input = `apiVersion: v1
kind: Namespace
metadata:
  name: prod
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: reader
rules:
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list]
  verb: [watch]
`;
    const result = await validation(input);
    expect(result.Details).toEqual([
      'resource rbac.authorization.k8s.io/v1/ClusterRole reader: rules.0.verb: unknown field "verb"',
    ]);
  });

  it("skips custom resources and says so in Details, without failing", async () => {
    const input = `${DEPLOYMENT}---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: tls
  namespace: prod
spec:
  anything: goes
`;
    expect(await validation(input)).toEqual({
      Passed: true,
      Index: 0,
      Details: [
        "resource cert-manager.io/v1/Certificate prod/tls skipped: no schema for apiVersion cert-manager.io/v1, which is not a built-in Kubernetes API group (kubernetes-models 4.5.1)",
      ],
    });
  });

  it("does not take the free-form values inside a CustomResourceDefinition for unknown fields", async () => {
    const input = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names:
    plural: widgets
    kind: Widget
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            description: the spec
            default: {size: 3, tags: [a]}
            x-kubernetes-preserve-unknown-fields: true
`;
    expect(await validation(input)).toEqual({ Passed: true, Index: 0 });
  });

  it("still flags typos inside a CustomResourceDefinition and knows PriorityClass descriptions", async () => {
    const input = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, kind: Widget}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        typ: object
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata:
  name: high
value: 1000
description: for the important pods
`;
    const result = await validation(input);
    expect(result.Details).toEqual([
      'resource apiextensions.k8s.io/v1/CustomResourceDefinition widgets.example.com: spec.versions.0.schema.openAPIV3Schema.typ: unknown field "typ"',
    ]);
  });

  it("makes an unknown kind of a built-in API group an error, with a suggestion, and leaves the data alone", async () => {
    const input = `# keep me
apiVersion: apps/v1
kind: Deploymnet
metadata:
  name: web
`;
    const result = await run(input);
    expect(result.success).toBe(false);
    expect(result.errorMessages).toEqual([
      "validate: resource web (document 0) has an unknown Kubernetes type apps/v1/Deploymnet: kind Deploymnet does not exist in apps/v1 (did you mean Deployment?)",
    ]);
    expect(result.output).toBeNull();
    expect(result.configData).toBe(input);
  });

  it("makes an unknown version of a built-in API group an error that lists the versions", async () => {
    const result = await run("apiVersion: apps/v9\nkind: Deployment\nmetadata:\n  name: web\n");
    expect(result.errorMessages).toEqual([
      "validate: resource web (document 0) has an unknown Kubernetes type apps/v9/Deployment: apiVersion apps/v9 is not a version of API group apps (known: apps/v1, apps/v1beta1, apps/v1beta2)",
    ]);
  });

  it("reports a document without a kind as an error naming the document", async () => {
    const result = await run(`${DEPLOYMENT}---\napiVersion: v1\nmetadata:\n  name: orphan\n`);
    expect(result.success).toBe(false);
    expect(result.errorMessages).toHaveLength(1);
    expect(result.errorMessages[0]).toMatch(/kind/);
    expect(result.errorMessages[0]).toMatch(/document 1/);
  });

  it("uses no network while validating", async () => {
    const connect = vi.spyOn(net.Socket.prototype, "connect");
    const fetch = vi.spyOn(globalThis, "fetch");
    const input = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  minAvailable: 1
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
spec:
  podSelector: {}
`;
    expect(await validation(input)).toEqual({ Passed: true, Index: 0 });
    expect(connect).not.toHaveBeenCalled();
    expect(fetch).not.toHaveBeenCalled();
  });

  it("adds its failures to a ValidationResultList at its own index", async () => {
    const result = await execute({
      registry,
      configData: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata: [1]\n",
      invocations: [{ FunctionName: "validate", Arguments: [] }],
      options: { combineValidationResults: false },
    });
    expect(result.success).toBe(true);
    expect(result.errorMessages).toEqual([
      "function failed: validate at 0 on 00000000-0000-0000-0000-000000000000",
    ]);
    expect(result.output).toEqual([
      {
        Passed: false,
        Index: 0,
        Details: ["resource v1/ConfigMap c: data: must be object"],
        FailedAttributes: [
          {
            ResourceName: "/c",
            ResourceNameWithoutScope: "c",
            ResourceType: "v1/ConfigMap",
            ResourceCategory: "Resource",
            Path: "data",
            DataType: "",
            Value: null,
          },
        ],
      },
    ]);
  });
});
