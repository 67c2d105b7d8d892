import { describe, expect, it } from "vitest";
import { whereFilter } from "../../functions/generic/where-filter.ts";
import { defineFunction } from "../../src/engine/function-definition.ts";
import { FunctionRegistry, execute } from "../../src/engine/index.ts";
import type { ExecutionResult, FunctionInvocation } from "../../src/engine/index.ts";
import { conformanceTestData } from "../support/function-runs.ts";

const DEPLOYMENT = conformanceTestData("deployment.yaml");

const touch = defineFunction({
  toolchains: ["Kubernetes/YAML"],
  signature: { FunctionName: "test-touch", Description: "test helper: label every resource", Mutating: true },
  invoke({ data }) {
    for (const document of data.documents) document.set("metadata.labels.touched", "yes", { upsert: true });
  },
});
const registry = FunctionRegistry.from([whereFilter, touch]);

function where(type: string, expression: string): FunctionInvocation {
  return { FunctionName: "where-filter", Arguments: [{ Value: type }, { Value: expression }] };
}

async function run(
  configData: string,
  invocations: FunctionInvocation[],
  numFilters = 0,
): Promise<ExecutionResult> {
  return execute({
    registry,
    configData,
    invocations,
    options: { combineValidationResults: true, numFilters },
  });
}

async function passed(configData: string, type: string, expression: string): Promise<boolean> {
  const result = await run(configData, [where(type, expression)]);
  expect(result.errorMessages.filter((m) => !m.startsWith("function failed"))).toEqual([]);
  expect(result.configData).toBe(configData);
  const output = result.output as { Passed: boolean; Index: number };
  expect(output).toEqual({ Passed: output.Passed, Index: 0 });
  return output.Passed;
}

// Spec §2.7 data: D2 (two containers), S1 (two Deployments, securityContext on one container only).
const D2 = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: d2
  annotations:
    confighub.com/key: mydep
spec:
  template:
    spec:
      containers:
      - name: otel-sidecar
        image: otel/opentelemetry-collector:latest-amd64
        resources:
          limits: {memory: 1Gi, cpu: 500m}
      - name: main
        image: nginx:1.14.2
`;
const S1 = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: first
spec:
  template:
    spec:
      containers:
      - name: a
        image: a
        securityContext:
          runAsNonRoot: true
      - name: b
        image: b
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: second
spec:
  template:
    spec:
      containers:
      - name: c
        image: c
`;
const C = "spec.template.spec.containers";

describe("where-filter", () => {
  it("matches the fctl goldens (where-filter1..4, split path)", async () => {
    expect(await passed(DEPLOYMENT, "apps/v1/Deployment", "spec.paused = false")).toBe(true);
    expect(await passed(DEPLOYMENT, "apps/v1/Deployment", "spec.paused = true")).toBe(false);
    expect(await passed(DEPLOYMENT, "apps/v1/Deployment", "spec.replicas > 2")).toBe(true);
    expect(await passed(DEPLOYMENT, "apps/v1/Deployment", "spec.replicas < 3")).toBe(false);
    expect(
      await passed(DEPLOYMENT, "apps/v1/Deployment", `${C}.*.|securityContext.runAsNonRoot != true`),
    ).toBe(true);
  });

  it("matches wildcards, associative segments, accessors and bound keys (spec §2.7)", async () => {
    const cases: [string, boolean][] = [
      [`${C}.1.image='nginx:1.14.2'`, true],
      [`${C}.*.image='nginx:1.14.2'`, true],
      [`${C}.*?name:container-name.image='nginx:1.14.2'`, true],
      [`${C}.?name=main.image='nginx:1.14.2'`, true],
      [`${C}.?name=main.image#uri='nginx'`, true],
      [`${C}.*.image#reference=':1.14.2'`, true],
      [`${C}.1.image LIKE 'nginx:%'`, true],
      [`${C}.1.image ILIKE 'Nginx:%'`, true],
      [`${C}.1.image ~* 'Nginx:.*'`, true],
      [`${C}.0.image !~ 'nginx:.*'`, true],
      [`${C}.1.image IN ('nginx:1.14.1', 'nginx:1.14.2')`, true],
      [`${C}.1.image NOT IN ('nginx:latest')`, true],
      ["metadata.annotations.@confighub~1com/key:annotation-key='mydep'", true],
      // Existential per resource: each relation may be satisfied by a different container.
      [`${C}.*.image='nginx:1.14.2' AND ${C}.*.name='otel-sidecar'`, true],
      [`${C}.?name=main.image='otel/opentelemetry-collector:latest-amd64'`, false],
    ];
    for (const [expression, expected] of cases) {
      expect(await passed(D2, "apps/v1/Deployment", expression), expression).toBe(expected);
    }
  });

  it("treats a missing path as no match, except != under a split path", async () => {
    expect(await passed(S1, "apps/v1/Deployment", `${C}.*.|securityContext.runAsNonRoot = true`)).toBe(true);
    expect(await passed(S1, "apps/v1/Deployment", `${C}.*.|securityContext.runAsNonRoot != true`)).toBe(true);
    expect(await passed(S1, "apps/v1/Deployment", `${C}.*.|securityContext.runAsNonRoot = false`)).toBe(
      false,
    );
    expect(await passed(S1, "apps/v1/Deployment", `${C}.*.securityContext.runAsNonRoot != true`)).toBe(false);
  });

  it("compares resource quantities by value and treats other type mismatches as no match (design §9)", async () => {
    expect(await passed(D2, "apps/v1/Deployment", `${C}.*.resources.limits.memory > '256Mi'`)).toBe(true);
    expect(await passed(D2, "apps/v1/Deployment", `${C}.*.resources.limits.cpu < '1'`)).toBe(true);
    expect(await passed(DEPLOYMENT, "apps/v1/Deployment", "spec.replicas = '3'")).toBe(false);
  });

  it("visits only the given type; a blank expression asks whether the type is present", async () => {
    expect(await passed(D2, "v1/ConfigMap", `${C}.1.image='nginx:1.14.2'`)).toBe(false);
    expect(await passed(D2, "*", "metadata.name = 'd2'")).toBe(true);
    expect(await passed(D2, "apps/v1/Deployment", "")).toBe(true);
    expect(await passed(D2, "v1/ConfigMap", "  ")).toBe(false);
  });

  it("reports a syntax error or a bad regular expression with its column", async () => {
    const result = await run(DEPLOYMENT, [where("apps/v1/Deployment", "spec.replicas >")]);
    expect(result.success).toBe(false);
    expect(result.output).toBeNull();
    expect(result.errorMessages).toEqual([
      "invalid where-expression spec.replicas >: unexpected end of expression at column 16 (expected integer, true, false or string literal)",
    ]);
    const regex = await run(DEPLOYMENT, [where("apps/v1/Deployment", "metadata.name ~ '('")]);
    expect(regex.errorMessages).toEqual([
      "invalid where-expression metadata.name ~ '(': invalid regular expression '(' at column 17 (missing closing ))",
    ]);
  });

  it("as a filter, stops the Unit silently when nothing matches (golden doseqfilter)", async () => {
    const stopped = await run(
      DEPLOYMENT,
      [where("apps/v1/Deployment", "spec.replicas > 5"), { FunctionName: "test-touch", Arguments: [] }],
      1,
    );
    expect(stopped.success).toBe(true);
    expect(stopped.filteredOut).toBe(true);
    expect(stopped.configData).toBe(DEPLOYMENT);
    const continued = await run(
      DEPLOYMENT,
      [where("apps/v1/Deployment", "spec.replicas > 2"), { FunctionName: "test-touch", Arguments: [] }],
      1,
    );
    expect(continued.filteredOut).toBe(false);
    expect(continued.configData).toContain('touched: "yes"');
  });
});
