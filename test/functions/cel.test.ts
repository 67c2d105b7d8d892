import { describe, expect, it } from "vitest";
import { celValidate } from "../../functions/generic/cel-validate.ts";
import { FunctionRegistry, execute } from "../../src/engine/index.ts";
import type { ExecutionResult, FunctionInvocation, ValidationResult } from "../../src/engine/index.ts";
import { conformanceTestData } from "../support/function-runs.ts";

const registry = FunctionRegistry.from([celValidate]);
const DEPLOYMENT = conformanceTestData("deployment.yaml");

function cel(expression: string): FunctionInvocation {
  return { FunctionName: "cel-validate", Arguments: [{ Value: expression }] };
}

async function run(
  configData: string,
  invocations: FunctionInvocation[],
  combine = true,
): Promise<ExecutionResult> {
  const result = await execute({
    registry,
    configData,
    invocations,
    options: { combineValidationResults: combine },
  });
  // A validating function never changes the data, whatever happens.
  expect(result.configData).toBe(configData);
  return result;
}

const TWO_DEPLOYMENTS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: safe
  namespace: prod
spec:
  replicas: 2
  template:
    spec:
      initContainers:
      - name: init
        image: busybox
        securityContext:
          runAsNonRoot: true
      containers:
      - name: main
        image: nginx
        securityContext:
          runAsNonRoot: true
      - name: sidecar
        image: envoy
        securityContext:
          runAsNonRoot: true
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: risky
  namespace: prod
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: main
        image: nginx
      - name: sidecar
        image: envoy
        securityContext:
          runAsNonRoot: true
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: fast
`;

describe("cel-validate", () => {
  it("passes when the expression is true for every resource (golden cel-validate)", async () => {
    const result = await run(DEPLOYMENT, [cel('r.kind != "Deployment" || r.spec.replicas > 1')]);
    expect(result.success).toBe(true);
    expect(result.output).toEqual({ Passed: true, Index: 0 });
  });

  it("fails with one Details line per resource that is false (golden cel-validate2)", async () => {
    const expression = 'r.kind != "Deployment" || r.spec.replicas > 5';
    const result = await run(DEPLOYMENT, [cel(expression)]);
    expect(result.success).toBe(true);
    expect(result.output).toEqual({
      Passed: false,
      Index: 0,
      Details: [`resource example/mydep failed validation expression ${expression}`],
    });
  });

  it("checks every container, init containers included, with comprehensions", async () => {
    const expression =
      'r.kind != "Deployment" || r.spec.template.spec.containers.all(c, has(c.securityContext) && c.securityContext.runAsNonRoot)';
    const result = await run(TWO_DEPLOYMENTS, [cel(expression)]);
    expect(result.output).toEqual({
      Passed: false,
      Index: 0,
      Details: [`resource prod/risky failed validation expression ${expression}`],
    });
    const initContainers =
      '!has(r.spec) || !has(r.spec.template.spec.initContainers) || r.spec.template.spec.initContainers.exists(c, c.image == "busybox")';
    expect((await run(TWO_DEPLOYMENTS, [cel(initContainers)])).output).toEqual({ Passed: true, Index: 0 });
  });

  it("binds numbers as doubles, as ConfigHub's JSON data does", async () => {
    const result = await run(DEPLOYMENT, [cel("type(r.spec.replicas) == double && r.spec.replicas == 3")]);
    expect(result.output).toEqual({ Passed: true, Index: 0 });
  });

  it("combines several expressions (golden doseqval)", async () => {
    const result = await run(DEPLOYMENT, [cel("r.spec.paused == false"), cel("r.spec.replicas < 5")]);
    expect(result.output).toEqual({ Passed: true, Index: 0 });
  });

  it("reports an expression that does not parse, with line and column, and no output", async () => {
    const result = await run(DEPLOYMENT, [cel("r.spec.replicas >")]);
    expect(result.success).toBe(false);
    expect(result.output).toBeNull();
    expect(result.errorMessages).toEqual([
      "failed to compile expression r.spec.replicas >: line 1, column 17: found > but expecting end of input",
    ]);
  });

  it("reports a result that is not a bool, naming the expression", async () => {
    const result = await run(DEPLOYMENT, [cel("r.spec.replicas")]);
    expect(result.success).toBe(false);
    expect(result.errorMessages).toEqual([
      "expression r.spec.replicas does not evaluate to a boolean: on resource example/mydep it gives a value of type double",
    ]);
  });

  it("fails the validation of a resource that lacks a field the expression reads, naming it and the fix", async () => {
    const result = await run(TWO_DEPLOYMENTS, [cel("r.metadata.name != ''\n  && r.spec.replicas > 0")]);
    expect(result.success).toBe(true);
    expect(result.output).toEqual({
      Passed: false,
      Index: 0,
      Details: [
        "resource settings failed validation expression r.metadata.name != ''\n  && r.spec.replicas > 0: it reads a field the resource does not have (field not found: spec (line 2, column 7)); guard optional fields with has(), e.g. !has(r.spec.x) || r.spec.x > 0",
      ],
    });
  });

  it("reports an evaluation error for each resource it happens on", async () => {
    const result = await run(TWO_DEPLOYMENTS, [cel("r.metadata.name != ''\n  && 1 / 0 > 0")]);
    expect(result.success).toBe(false);
    expect(result.errorMessages).toEqual([
      [
        "validation expression r.metadata.name != ''\n  && 1 / 0 > 0 resulted in error on resource prod/safe: int divide by zero",
        "validation expression r.metadata.name != ''\n  && 1 / 0 > 0 resulted in error on resource prod/risky: int divide by zero",
        "validation expression r.metadata.name != ''\n  && 1 / 0 > 0 resulted in error on resource settings: int divide by zero",
      ].join("\n"),
    ]);
  });

  it("runs matches() on RE2: a catastrophic pattern stays linear", async () => {
    const long = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${"a".repeat(60)}b\n`;
    const started = performance.now();
    const result = await run(long, [cel('r.metadata.name.matches("^(a+)+$")')]);
    // Explicit safety bound: a backtracking engine takes minutes on this input.
    expect(performance.now() - started).toBeLessThan(2000);
    expect((result.output as ValidationResult).Passed).toBe(false);
  });

  it("rejects a pattern RE2 cannot run, with RE2's reason", async () => {
    const result = await run(DEPLOYMENT, [cel('r.metadata.name.matches("(a)\\\\1")')]);
    expect(result.success).toBe(false);
    expect(result.errorMessages).toHaveLength(1);
    expect(result.errorMessages[0]).toMatch(
      /^validation expression .* resulted in error on resource example\/mydep: invalid regular expression \(a\)\\1: /,
    );
  });

  it("refuses an evaluation whose cost could exceed the limit, before running it", async () => {
    const items = Array.from({ length: 200 }, (_, i) => `  - ${i}`).join("\n");
    const big = `apiVersion: v1\nkind: List\nmetadata:\n  name: big\nitems:\n${items}\n`;
    const single = await run(big, [cel("r.items.all(x, x >= 0.0)")]);
    expect(single.output).toEqual({ Passed: true, Index: 0 });
    const nested = await run(big, [cel("r.items.all(x, r.items.all(y, r.items.all(z, x + y + z >= 0.0)))")]);
    expect(nested.success).toBe(false);
    expect(nested.errorMessages).toHaveLength(1);
    expect(nested.errorMessages[0]).toMatch(
      /^validation expression .* is too costly for resource big: its estimated cost \d+ exceeds the limit of 1000000 \(the resource's largest list or map has 200 entries/,
    );
  });

  it("refuses an absurdly nested expression, however it is nested", async () => {
    const lists = `size(${"[".repeat(300)}true${"]".repeat(300)}) == 1`;
    const nested = await run(DEPLOYMENT, [cel(lists)]);
    expect(nested.success).toBe(false);
    expect(nested.errorMessages).toEqual([
      `failed to compile expression ${lists}: the expression nests 303 levels deep; the limit is 250`,
    ]);
    const parentheses = await run(DEPLOYMENT, [cel(`${"(".repeat(20000)}true${")".repeat(20000)}`)]);
    expect(parentheses.success).toBe(false);
    expect(parentheses.errorMessages[0]).toMatch(
      /: the expression (nests \d+ levels deep|is nested too deeply)/,
    );
  });

  it("names a document that has no resource name", async () => {
    const result = await run("apiVersion: v1\nkind: ConfigMap\ndata:\n  a: b\n", [cel("true")]);
    expect(result.success).toBe(false);
    expect(result.errorMessages).toHaveLength(1);
    expect(result.errorMessages[0]).toMatch(/^could not extract resource name: .*name/);
  });

  it("lists its result at its own index when results are not combined", async () => {
    const result = await run(DEPLOYMENT, [cel("true"), cel("false")], false);
    expect(result.output).toEqual([
      { Passed: true, Index: 0 },
      { Passed: false, Index: 1, Details: ["resource example/mydep failed validation expression false"] },
    ]);
  });
});
