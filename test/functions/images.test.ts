import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { standardFunctions } from "../../functions/index.ts";
import { FunctionRegistry, execute } from "../../src/engine/index.ts";
import type { ExecutionResult } from "../../src/engine/index.ts";
import { conformanceGolden, conformanceTestData } from "../support/function-runs.ts";

const registry = FunctionRegistry.from(standardFunctions);

async function run(configData: string, args: string[]) {
  return execute({
    registry,
    configData,
    invocations: [
      { FunctionName: "set-image-reference-by-uri", Arguments: args.map((Value) => ({ Value })) },
    ],
  });
}

function expectUnchanged(result: ExecutionResult, input: string): void {
  expect(result.configData).toBe(input);
  expect(result.mutators).toEqual([]);
}

function images(text: string): string[] {
  const found: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === "object") {
      for (const [key, child] of Object.entries(value)) {
        if (key === "image" && typeof child === "string") found.push(child);
        else walk(child);
      }
    }
  };
  for (const document of parseAllDocuments(text)) walk(document.toJS());
  return found;
}

const UNIT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      initContainers:
        - name: migrate
          image: ghcr.io/acme/api:1.2 # same image as main
      containers:
        - name: main
          image: "ghcr.io/acme/api@sha256:abc123"
        - name: proxy
          image: ghcr.io/acme/api-proxy:1.2
        - name: other-registry
          image: docker.io/acme/api:1.2
        - name: no-tag
          image: ghcr.io/acme/api
        - name: unparsable
          image: GHCR.io/acme/api:1.2
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: report
            image: ghcr.io/acme/api:1.0
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: images
data:
  image: ghcr.io/acme/api:1.2
`;

describe("set-image-reference-by-uri", () => {
  it("retags every container image of that repository, by tag or digest, in any container list", async () => {
    const result = await run(UNIT, ["ghcr.io/acme/api", ":1.3"]);
    expect(result.success).toBe(true);
    expect(images(result.configData)).toEqual([
      "ghcr.io/acme/api:1.3",
      "ghcr.io/acme/api:1.3",
      "ghcr.io/acme/api-proxy:1.2", // a different repository that shares the prefix
      "docker.io/acme/api:1.2", // the same path on another registry
      "ghcr.io/acme/api:1.3", // no tag yet: one is added
      "GHCR.io/acme/api:1.2", // not an image reference: no URI to compare
      "ghcr.io/acme/api:1.3", // CronJob layout
      "ghcr.io/acme/api:1.2", // a ConfigMap value is not a container image
    ]);
    expect(result.configData).toContain("          image: ghcr.io/acme/api:1.3 # same image as main\n");
    expect(result.configData).toContain('          image: "ghcr.io/acme/api:1.3"\n');
  });

  it("sets digests too", async () => {
    const digest = "@sha256:0123456789abcdef";
    const result = await run(UNIT, ["docker.io/acme/api", digest]);
    expect(images(result.configData)[3]).toBe(`docker.io/acme/api${digest}`);
  });

  it("strips the tag or digest for an empty reference, as ConfigHub allows", async () => {
    const result = await run(UNIT, ["ghcr.io/acme/api", ""]);
    expect(result.success).toBe(true);
    expect(images(result.configData).slice(0, 2)).toEqual(["ghcr.io/acme/api", "ghcr.io/acme/api"]);
  });

  it("matches the registry host and port as part of the URI", async () => {
    const data = UNIT.replace("ghcr.io/acme/api-proxy:1.2", "registry:5000/acme/api:1.2");
    const result = await run(data, ["registry:5000/acme/api", ":2"]);
    expect(images(result.configData)[2]).toBe("registry:5000/acme/api:2");
    expect(images(result.configData)[0]).toBe("ghcr.io/acme/api:1.2");
  });

  it("changes nothing when no image has that repository, or the reference is already set", async () => {
    for (const args of [
      ["ghcr.io/acme/web", ":1.3"],
      ["docker.io/acme/api", ":1.2"],
    ]) {
      const result = await run(UNIT, args);
      expect(result.success).toBe(true);
      expectUnchanged(result, UNIT);
    }
  });

  it("rejects arguments that are not a repository URI and a reference", async () => {
    const cases: [string[], RegExp][] = [
      [
        ["ghcr.io/acme/api:1.2", ":1.3"],
        /^value ghcr.io\/acme\/api:1.2 for argument repository-uri is not valid: expected an image repository without tag or digest/,
      ],
      [
        ["GHCR.io/acme/api", ":1.3"],
        /^value GHCR.io\/acme\/api for argument repository-uri is not valid: expected an image repository/,
      ],
      [
        ["ghcr.io/acme/api", "1.3"],
        /^value 1.3 for argument image-reference is not valid: expected a tag or digest with its separator/,
      ],
      [
        ["ghcr.io/acme/api", ":"],
        /^value : for argument image-reference is not valid: expected a tag or digest/,
      ],
      [
        ["ghcr.io/acme/api"],
        /^insufficient arguments: got 1, expected 2: repository-uri \(required\), image-reference \(required\)$/,
      ],
    ];
    for (const [args, message] of cases) {
      const result = await run(UNIT, args);
      expect(result.success).toBe(false);
      expect(result.errorMessages[0]).toMatch(message);
      expectUnchanged(result, UNIT);
    }
  });

  it("reports a document without a type instead of skipping it", async () => {
    const data = `${UNIT}---\nmetadata:\n  name: stray\n`;
    const result = await run(data, ["ghcr.io/acme/api", ":1.3"]);
    expect(result.success).toBe(false);
    expect(result.errorMessages[0]).toMatch(/^error in resource\/element 3: resource type is missing/);
    expectUnchanged(result, data);
  });

  it("is listed with the workload types that have container images", () => {
    const signature = registry.lookup("Kubernetes/YAML", "set-image-reference-by-uri")!.signature;
    expect(signature).toMatchObject({
      AttributeName: "container-images",
      Mutating: true,
      FunctionType: "Custom",
    });
    expect(signature.AffectedResourceTypes).toEqual([
      "apps/v1/DaemonSet",
      "apps/v1/Deployment",
      "apps/v1/ReplicaSet",
      "apps/v1/StatefulSet",
      "batch/v1/CronJob",
      "batch/v1/Job",
      "v1/Pod",
    ]);
  });

  it("matches the conformance golden", async () => {
    const input = conformanceTestData("confighub.yaml");
    const result = await run(input, ["ghcr.io/confighubai/confighub", ":testbuild"]);
    const golden = conformanceGolden("set-image-reference-by-uri.txt");
    const data = golden.slice(golden.indexOf("---------\n") + 10);
    expect(parseAllDocuments(result.configData).map((d) => d.toJS())).toEqual(
      parseAllDocuments(data).map((d) => d.toJS()),
    );
  });
});
