import { describe, expect, it } from "vitest";
import { setPodDefaults } from "../../functions/kubernetes/pod-defaults.ts";
import { FunctionRegistry, execute } from "../../src/engine/index.ts";
import type { ExecutionResult, FunctionArgument } from "../../src/engine/index.ts";
import { conformanceGolden, conformanceTestData, plainDocuments } from "../support/function-runs.ts";

const registry = FunctionRegistry.from([setPodDefaults]);
const DEPLOYMENT = conformanceTestData("deployment.yaml");

async function run(configData: string, args: FunctionArgument[]): Promise<ExecutionResult> {
  return execute({
    registry,
    configData,
    invocations: [{ FunctionName: "set-pod-defaults", Arguments: args }],
    options: { castStringArgsToScalars: true },
  });
}

function named(options: Record<string, boolean>): FunctionArgument[] {
  return Object.entries(options).map(([ParameterName, value]) => ({ ParameterName, Value: String(value) }));
}

async function defaults(configData: string, options: Record<string, boolean>): Promise<unknown[]> {
  const result = await run(configData, named(options));
  expect(result.errorMessages).toEqual([]);
  return plainDocuments(result.configData);
}

const ALL = {
  "pod-security": true,
  "automount-service-account-token": true,
  "security-context": true,
  resources: true,
  probes: true,
};

type Container = Record<string, unknown>;
function containersOf(document: unknown, path: string[], list = "containers"): Container[] {
  let current = document as Record<string, unknown>;
  for (const key of path) current = current[key] as Record<string, unknown>;
  return current[list] as Container[];
}

describe("set-pod-defaults", () => {
  it("applies every default (golden set-pod-defaults)", async () => {
    const result = await run(
      DEPLOYMENT,
      ["true", "true", "true", "true", "true"].map((Value) => ({ Value })),
    );
    expect(result.errorMessages).toEqual([]);
    expect(plainDocuments(result.configData)).toEqual(
      plainDocuments(conformanceGolden("set-pod-defaults.yaml")),
    );
    // New maps follow ConfigHub's style: resources in flow style, the rest in block style.
    expect(result.configData).toContain("resources: {requests: {cpu: 128m, memory: 128Mi}}");
    expect(result.configData).toContain("replicas: 3 # Line comment on replicas");
  });

  it("reads named options and leaves probes out when asked (golden set-pod-defaults-no-probes)", async () => {
    const documents = await defaults(DEPLOYMENT, { ...ALL, probes: false });
    expect(documents).toEqual(plainDocuments(conformanceGolden("set-pod-defaults-no-probes.yaml")));
  });

  it("only adds terminationGracePeriodSeconds without options, and is idempotent", async () => {
    const once = await run(DEPLOYMENT, []);
    expect(once.configData).toBe(`${DEPLOYMENT}      terminationGracePeriodSeconds: 60\n`);
    const twice = await run(once.configData, named(ALL));
    const thrice = await run(twice.configData, named(ALL));
    expect(thrice.configData).toBe(twice.configData);
    expect(thrice.mutators).toEqual([]);
  });

  it("covers CronJobs and Pods, init and ephemeral containers, and labels Namespaces", async () => {
    const input = `apiVersion: v1
kind: Namespace
metadata:
  name: prod
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  schedule: "0 1 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          initContainers:
          - name: wait
            image: busybox
          containers:
          - name: job
            image: job:1
            ports:
            - containerPort: 9090
---
apiVersion: v1
kind: Pod
metadata:
  name: debug
spec:
  terminationGracePeriodSeconds: 5
  ephemeralContainers:
  - name: shell
    image: busybox
  containers:
  - name: main
    image: app:1
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: untouched
data: {a: b}
`;
    const [namespace, cronJob, pod, configMap] = await defaults(input, ALL);
    expect((namespace as { metadata: { labels: unknown } }).metadata.labels).toEqual({
      "pod-security.kubernetes.io/enforce": "baseline",
      "pod-security.kubernetes.io/enforce-version": "latest",
      "pod-security.kubernetes.io/warn": "restricted",
      "pod-security.kubernetes.io/warn-version": "latest",
    });
    const jobPod = ["spec", "jobTemplate", "spec", "template", "spec"];
    const [wait] = containersOf(cronJob, jobPod, "initContainers");
    const [job] = containersOf(cronJob, jobPod);
    expect(wait).toMatchObject({
      securityContext: { runAsNonRoot: true },
      resources: { requests: { cpu: "128m" } },
    });
    // Init containers get no probes; main containers probe their first port.
    expect(wait!.startupProbe).toBeUndefined();
    expect(job!.readinessProbe).toEqual({
      httpGet: { path: "confighubplaceholder", port: 9090 },
      initialDelaySeconds: 5,
      periodSeconds: 10,
      timeoutSeconds: 1,
      failureThreshold: 3,
      successThreshold: 1,
    });
    const podSpec = (pod as { spec: Record<string, unknown> }).spec;
    expect(podSpec.terminationGracePeriodSeconds).toBe(5);
    expect(podSpec.securityContext).toEqual({ seccompProfile: { type: "RuntimeDefault" } });
    expect((podSpec.ephemeralContainers as Container[])[0]).toMatchObject({
      securityContext: { privileged: false },
    });
    expect((podSpec.containers as Container[])[0]!.livenessProbe).toMatchObject({ httpGet: { port: 8080 } });
    expect(configMap).toEqual({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "untouched" },
      data: { a: "b" },
    });
  });

  it("keeps what is already set: readiness probes, dropped capabilities, pull policy, larger requests, limits", async () => {
    const input = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: ready
        image: a
        imagePullPolicy: IfNotPresent
        readinessProbe:
          tcpSocket: {port: 80}
        securityContext:
          capabilities:
            drop: [NET_RAW]
        resources:
          requests: {cpu: "1", memory: 64Mi}
          limits: {cpu: "2"}
      - name: live
        image: b
        livenessProbe:
          exec: {command: [check]}
          initialDelaySeconds: 60
          failureThreshold: 5
`;
    const [deployment] = await defaults(input, ALL);
    const [ready, live] = containersOf(deployment, ["spec", "template", "spec"]);
    expect(ready).toMatchObject({
      imagePullPolicy: "IfNotPresent",
      readinessProbe: { tcpSocket: { port: 80 } },
      securityContext: { capabilities: { drop: ["NET_RAW"] }, readOnlyRootFilesystem: true },
      resources: { requests: { cpu: "1", memory: "128Mi" }, limits: { cpu: "2" } },
    });
    expect(ready!.startupProbe).toBeUndefined();
    // A readiness probe copied from the liveness probe, sooner and more often.
    expect(live!.readinessProbe).toEqual({
      exec: { command: ["check"] },
      initialDelaySeconds: 5,
      failureThreshold: 5,
      periodSeconds: 10,
    });
    expect(live!.startupProbe).toBeUndefined();
  });

  it("reports a current request that is not a quantity, and changes nothing", async () => {
    const input = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: main
    image: a
    resources:
      requests: {cpu: lots}
`;
    const result = await run(input, named({ resources: true }));
    expect(result.success).toBe(false);
    expect(result.errorMessages).toEqual([
      'cannot floor requests.cpu in spec.containers.0.resources of v1/Pod p: the current value "lots" is not a Kubernetes quantity',
    ]);
    expect(result.configData).toBe(input);
  });

  it("rejects an option that is not a boolean", async () => {
    const result = await run(DEPLOYMENT, named({}).concat([{ ParameterName: "probes", Value: "sometimes" }]));
    expect(result.success).toBe(false);
    expect(result.errorMessages[0]).toMatch(/^cannot convert argument probes value sometimes to bool/);
    expect(result.configData).toBe(DEPLOYMENT);
  });
});
