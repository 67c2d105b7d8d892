import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { standardFunctions } from "../../functions/index.ts";
import { parsePath } from "../../src/config/index.ts";
import { FunctionRegistry, execute } from "../../src/engine/index.ts";
import type { AttributeValue, ExecutionResult, ValidationResult } from "../../src/engine/index.ts";

const registry = FunctionRegistry.from(standardFunctions);
const TEST_DATA = new URL("../../../shared/conformance/confighub-fctl/test-data/", import.meta.url);

async function run(configData: string, functionName: string, args: string[] = [], context = {}) {
  return execute({
    registry,
    configData,
    context,
    invocations: [{ FunctionName: functionName, Arguments: args.map((Value) => ({ Value })) }],
    // As fctl runs them: validation results combine into one.
    options: { combineValidationResults: true },
  });
}

function plain(text: string): unknown[] {
  return parseAllDocuments(text).map((d) => d.toJS());
}

function expectUnchanged(result: ExecutionResult, input: string): void {
  expect(result.configData).toBe(input);
  expect(result.mutators).toEqual([]);
}

const UNIT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: confighubplaceholder
  labels:
    app.kubernetes.io/name: replaceme
spec:
  replicas: 999999999
  revisionHistoryLimit: 999999999.0
  template:
    spec:
      initContainers:
        - name: init
          image: "confighubplaceholder:1"
          args: ["--db", "confighubplaceholder", "999999999"]
      containers:
        - name: main
          image: nginx:1.25 # pinned
          ports:
            - containerPort: 999999999
        - name: sidecar
          image: replaceme/confighubplaceholder
          env:
            - name: confighubplaceholder
              value: "true"
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  note: |
    set confighubplaceholder here
  flag: false
  count: 3
`;

const path = (v: AttributeValue) => `${v.ResourceName} ${v.Path}=${JSON.stringify(v.Value)}`;

describe("get-placeholders", () => {
  it("lists current placeholders, then deprecated ones, then the int, each group sorted", async () => {
    const result = await run(UNIT, "get-placeholders");
    expect(result.success).toBe(true);
    const values = result.output as AttributeValue[];
    // Groups: current placeholder strings (sorted by type, name, path), then replaceme, then ints.
    expect(values.map(path)).toEqual([
      'confighubplaceholder/web metadata.namespace="confighubplaceholder"',
      'confighubplaceholder/web spec.template.spec.containers.1.env.0.name="confighubplaceholder"',
      'confighubplaceholder/web spec.template.spec.containers.1.image="replaceme/confighubplaceholder"',
      'confighubplaceholder/web spec.template.spec.initContainers.0.args.1="confighubplaceholder"',
      'confighubplaceholder/web spec.template.spec.initContainers.0.image="confighubplaceholder:1"',
      '/settings data.note="set confighubplaceholder here\\n"',
      'confighubplaceholder/web metadata.labels.app~1kubernetes~1io/name="replaceme"',
      "confighubplaceholder/web spec.replicas=999999999",
      "confighubplaceholder/web spec.template.spec.containers.0.ports.0.containerPort=999999999",
    ]);
  });
});

describe("get-placeholders details", () => {
  it("reports each value with its resource, type and data type, and no Info", async () => {
    const values = (await run(UNIT, "get-placeholders")).output as AttributeValue[];
    expect(values[0]).toEqual({
      ResourceName: "confighubplaceholder/web",
      ResourceNameWithoutScope: "web",
      ResourceType: "apps/v1/Deployment",
      ResourceCategory: "Resource",
      Path: "metadata.namespace",
      AttributeName: "attribute-value",
      DataType: "string",
      Value: "confighubplaceholder",
    });
    const replicas = values.find((v) => v.Path === "spec.replicas");
    expect(replicas).toMatchObject({ DataType: "int", Value: 999999999 });
  });

  it("ignores keys, quoted numbers, floats, booleans and other numbers", async () => {
    const values = (await run(UNIT, "get-placeholders")).output as AttributeValue[];
    const paths = values.map((v) => v.Path);
    expect(paths).not.toContain("spec.revisionHistoryLimit"); // 999999999.0 is a float
    expect(paths).not.toContain("spec.template.spec.initContainers.0.args.2"); // the string "999999999"
    expect(paths.filter((p) => p.startsWith("data."))).toEqual(["data.note"]);
  });

  it("lists a value holding both placeholders once", async () => {
    const values = (await run(UNIT, "get-placeholders")).output as AttributeValue[];
    expect(values.filter((v) => v.Value === "replaceme/confighubplaceholder")).toHaveLength(1);
  });

  it("returns an empty list when nothing is left to fill in", async () => {
    const data = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: done\ndata:\n  a: b\n";
    const result = await run(data, "get-placeholders");
    expect(result.output).toEqual([]);
  });

  it("escapes dots and tildes in keys so the paths can be passed back to other functions", async () => {
    const data =
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a.b~1: confighubplaceholder\n";
    const values = (await run(data, "get-placeholders")).output as AttributeValue[];
    expect(values.map((v) => v.Path)).toEqual(["data.a~1b~01"]);
    const segments = parsePath(values[0]!.Path).segments.map((s) =>
      s.kind === "KeySegment" ? s.key : s.kind,
    );
    expect(segments).toEqual(["data", "a.b~1"]);
  });

  it("names the document without a type or name", async () => {
    const data = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Secret\n";
    const result = await run(data, "get-placeholders");
    expect(result.success).toBe(false);
    expect(result.errorMessages[0]).toMatch(
      /^error in resource\/element 1: resource name is missing: v1\/Secret/,
    );
  });
});

describe("no-placeholders", () => {
  it("fails with the placeholders as failed attributes, without making the call an error", async () => {
    const result = await run(UNIT, "no-placeholders");
    expect(result.success).toBe(true);
    const validation = result.output as ValidationResult;
    expect(validation.Passed).toBe(false);
    const found = (await run(UNIT, "get-placeholders")).output;
    expect(validation.FailedAttributes).toEqual(found);
    expect(result.errorMessages[0]).toMatch(/^function failed: no-placeholders at 0 on /);
  });

  it("passes without FailedAttributes when every value is filled in", async () => {
    const data = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: done\ndata:\n  replicas: 999999998\n";
    const result = await run(data, "no-placeholders");
    expect(result.output).toEqual({ Passed: true, Index: 0 });
  });

  it("works as a filter: data with placeholders stops the rest silently", async () => {
    const result = await execute({
      registry,
      configData: UNIT,
      invocations: [
        { FunctionName: "no-placeholders", Arguments: [] },
        { FunctionName: "search-replace", Arguments: [{ Value: "web" }, { Value: "api" }] },
      ],
      options: { numFilters: 1 },
    });
    expect(result.success).toBe(true);
    expectUnchanged(result, UNIT);
  });
});

describe("search-replace", () => {
  it("replaces every occurrence inside string values, keeping quoting and comments", async () => {
    const result = await run(UNIT, "search-replace", ["confighubplaceholder", "prod"]);
    expect(result.success).toBe(true);
    expect(result.configData).toContain("  namespace: prod\n");
    expect(result.configData).toContain('          image: "prod:1"\n');
    expect(result.configData).toContain('          args: ["--db", "prod", "999999999"]\n');
    expect(result.configData).toContain("          image: replaceme/prod\n");
    expect(result.configData).toContain("            - name: prod\n");
    expect(result.configData).toContain("  note: |\n    set prod here\n");
    expect(result.configData).toContain("          image: nginx:1.25 # pinned\n");
    // Numbers are not strings: the int placeholder stays.
    expect(result.configData).toContain("  replicas: 999999999\n");
  });

  it("replaces each match in its own resource, not across resources of a type (design §9)", async () => {
    const data = [
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  host: a.confighubplaceholder.svc\n",
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  host: b.confighubplaceholder.svc\n",
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  host: fixed\n",
    ].join("---\n");
    const result = await run(data, "search-replace", ["confighubplaceholder", "prod"]);
    const hosts = (plain(result.configData) as { data: { host: string } }[]).map((d) => d.data.host);
    expect(hosts).toEqual(["a.prod.svc", "b.prod.svc", "fixed"]);
  });

  it("keeps a replaced value a string even when it looks like another type", async () => {
    const data =
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  port: port-x\n  on: flag-x\n";
    const result = await run(data, "search-replace", ["port-x", "8080"]);
    const replaced = await run(result.configData, "search-replace", ["flag-x", "true"]);
    expect(plain(replaced.configData)[0]).toMatchObject({ data: { port: "8080", on: "true" } });
  });

  it("changes nothing when the text does not occur or is replaced by itself", async () => {
    for (const args of [
      ["not-there", "x"],
      ["web", "web"],
    ]) {
      const result = await run(UNIT, "search-replace", args);
      expect(result.success).toBe(true);
      expectUnchanged(result, UNIT);
    }
  });

  it("rejects an empty search value and missing arguments", async () => {
    const empty = await run(UNIT, "search-replace", ["", "x"]);
    expect(empty.success).toBe(false);
    expect(empty.errorMessages).toEqual(["search-value must not be empty"]);
    expectUnchanged(empty, UNIT);

    const missing = await run(UNIT, "search-replace", ["x"]);
    expect(missing.errorMessages).toEqual([
      "insufficient arguments: got 1, expected 2: search-value (reqd: true), replace-value (reqd: true),",
    ]);
  });

  it("matches the conformance golden", async () => {
    const input = readFileSync(new URL("deployment-sample.yaml", TEST_DATA), "utf8");
    const result = await run(input, "search-replace", ["confighubplaceholder", "replaceme"]);
    const golden = readFileSync(new URL("../golden-output/search-replace.txt", TEST_DATA), "utf8");
    expect(plain(result.configData)).toEqual(plain(golden.slice(golden.indexOf("---------\n") + 10)));
  });
});
