import { describe, expect, it } from "vitest";
import { setContainerResources } from "../../functions/kubernetes/container-resources.ts";
import { FunctionRegistry, execute } from "../../src/engine/index.ts";
import type { ExecutionResult } from "../../src/engine/index.ts";
import { conformanceGolden, conformanceTestData, plainDocuments } from "../support/function-runs.ts";

const registry = FunctionRegistry.from([setContainerResources]);
const DEPLOYMENT = conformanceTestData("deployment.yaml");

async function run(configData: string, args: string[]): Promise<ExecutionResult> {
  return execute({
    registry,
    configData,
    invocations: [{ FunctionName: "set-container-resources", Arguments: args.map((Value) => ({ Value })) }],
    options: { castStringArgsToScalars: true },
  });
}

async function changed(configData: string, args: string[]): Promise<string> {
  const result = await run(configData, args);
  expect(result.errorMessages).toEqual([]);
  return result.configData;
}

async function failure(configData: string, args: string[]): Promise<string[]> {
  const result = await run(configData, args);
  expect(result.success).toBe(false);
  expect(result.configData).toBe(configData);
  expect(result.mutators).toEqual([]);
  return result.errorMessages;
}

const WORKLOADS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      initContainers:
      - name: migrate
        image: migrate:1
        resources:
          requests:
            cpu: 50m # small on purpose
      containers:
      - name: main
        image: web:1
        resources:
          requests:
            cpu: "2"
            memory: 64Mi
          limits:
            cpu: "4"
            memory: 1Gi
      - name: sidecar
        image: envoy:1
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
          containers:
          - name: main
            image: job:1
            resources: {}
`;

describe("set-container-resources", () => {
  it("sets requests and canonical limits in the container's own style (golden set-container-resources)", async () => {
    const result = await changed(DEPLOYMENT, ["nginx", "all", "500m", "256Mi", "2"]);
    expect(result).toBe(
      DEPLOYMENT.replace(
        "          resources: {}",
        '          resources: {requests: {cpu: 500m, memory: 256Mi}, limits: {cpu: "1", memory: 512Mi}}',
      ),
    );
    const golden = conformanceGolden("set-container-resources.txt");
    expect(plainDocuments(result)).toEqual(plainDocuments(golden.slice(golden.indexOf("---------\n") + 10)));
  });

  it("with * sets every container that has resources, init containers and CronJobs included", async () => {
    const result = plainDocuments(await changed(WORKLOADS, ["*", "all", "100m", "", "3"])) as {
      spec: { template?: { spec: Record<string, { resources?: unknown }[]> }; jobTemplate?: unknown };
    }[];
    const web = result[0]!.spec.template!.spec;
    expect(web.initContainers![0]!.resources).toEqual({ requests: { cpu: "100m" }, limits: { cpu: "300m" } });
    expect(web.containers![0]!.resources).toEqual({
      requests: { cpu: "100m", memory: "64Mi" },
      limits: { cpu: "300m", memory: "1Gi" },
    });
    // A container without resources is not touched.
    expect(web.containers![1]!.resources).toBeUndefined();
    expect(result[1]).toMatchObject({
      spec: {
        jobTemplate: {
          spec: {
            template: {
              spec: { containers: [{ resources: { requests: { cpu: "100m" }, limits: { cpu: "300m" } } }] },
            },
          },
        },
      },
    });
  });

  it("caps: keeps smaller values, lowers larger ones, comparing quantities by value", async () => {
    const result = await changed(WORKLOADS, ["main", "cap", "1", "128Mi", "2"]);
    const main = (
      plainDocuments(result)[0] as { spec: { template: { spec: { containers: { resources: unknown }[] } } } }
    ).spec.template.spec.containers[0]!.resources;
    // requests: cpu 2 > 1 is lowered, memory 64Mi < 128Mi is kept; limits: cpu 4 > 2 lowered, 1Gi > 256Mi lowered.
    expect(main).toEqual({ requests: { cpu: "1", memory: "64Mi" }, limits: { cpu: "2", memory: "256Mi" } });
    // The comment on an untouched value stays.
    expect(result).toContain("cpu: 50m # small on purpose");
  });

  it("floors: raises smaller values and keeps larger ones", async () => {
    const result = await changed(WORKLOADS, ["*", "floor", "100m", "128Mi", "1"]);
    const documents = plainDocuments(result) as {
      spec: { template: { spec: Record<string, { resources: unknown }[]> } };
    }[];
    const spec = documents[0]!.spec.template.spec;
    expect(spec.initContainers![0]!.resources).toEqual({
      requests: { cpu: "100m", memory: "128Mi" },
      limits: { cpu: "100m", memory: "128Mi" },
    });
    expect(spec.containers![0]!.resources).toEqual({
      requests: { cpu: "2", memory: "128Mi" },
      limits: { cpu: "4", memory: "1Gi" },
    });
  });

  it("removes the limits with a factor of 0", async () => {
    const result = plainDocuments(await changed(WORKLOADS, ["main", "all", "250m", "", "0"])) as {
      spec: { template?: { spec: { containers: { resources: unknown }[] } } };
    }[];
    expect(result[0]!.spec.template!.spec.containers[0]!.resources).toEqual({
      requests: { cpu: "250m", memory: "64Mi" },
    });
  });

  it("multiplies exactly and writes canonical quantities", async () => {
    const input = DEPLOYMENT;
    const cases: [string, string, string][] = [
      ["1.5", "2", "3"],
      ["1.5", "1", "1500m"],
      ["333m", "3", "999m"],
      ["0.1", "10", "1"],
    ];
    for (const [cpu, factor, limit] of cases) {
      const result = plainDocuments(await changed(input, ["nginx", "all", cpu, "", factor])) as {
        spec: { template: { spec: { containers: { resources: { limits: { cpu: string } } }[] } } };
      }[];
      expect(result[0]!.spec.template.spec.containers[0]!.resources.limits.cpu, `${cpu} x ${factor}`).toBe(
        limit,
      );
    }
  });

  it("rejects arguments that are not quantities, with the exact message", async () => {
    expect(await failure(DEPLOYMENT, ["nginx", "all", "lots", "", "2"])).toEqual([
      "invalid cpu lots: not a Kubernetes quantity (such as 500m, 0.5 or 2)",
    ]);
    expect(await failure(DEPLOYMENT, ["nginx", "all", "", "256MB", "2"])).toEqual([
      "invalid memory 256MB: not a Kubernetes quantity (such as 256Mi or 1Gi)",
    ]);
    expect(await failure(DEPLOYMENT, ["nginx", "all", "-1", "", "2"])).toEqual([
      "invalid cpu -1: a request cannot be negative",
    ]);
    expect(await failure(DEPLOYMENT, ["nginx", "all", "", "", "2"])).toEqual([
      "must specify at least one of cpu and memory",
    ]);
  });

  it("rejects a bad operation, factor or container name through the signature", async () => {
    expect(await failure(DEPLOYMENT, ["nginx", "max", "1", "", "2"])).toEqual([
      "value max for argument operation is not one of: all, cap, floor",
    ]);
    expect(await failure(DEPLOYMENT, ["nginx", "all", "1", "", "11"])).toEqual([
      "argument limit-factor value 11 is out of range: must be from 0 to 10",
    ]);
    const names = await failure(DEPLOYMENT, ["Nginx", "all", "1", "", "2"]);
    expect(names[0]).toMatch(/^value Nginx for argument container-name does not match the pattern/);
  });

  it("refuses to cap or floor a current value that is not a quantity, naming where it is", async () => {
    const input = WORKLOADS.replace('cpu: "2"', "cpu: lots");
    expect(await failure(input, ["main", "cap", "1", "", "2"])).toEqual([
      'cannot cap requests.cpu in spec.template.spec.containers.0.resources of apps/v1/Deployment web: the current value "lots" is not a Kubernetes quantity',
    ]);
  });

  it("changes nothing when no container of that name has resources", async () => {
    const result = await run(WORKLOADS, ["sidecar", "all", "1", "1Gi", "2"]);
    expect(result.success).toBe(true);
    expect(result.configData).toBe(WORKLOADS);
    expect(result.mutators).toEqual([]);
  });
});
