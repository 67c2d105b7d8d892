import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { parseEnvAssignments } from "../../functions/kubernetes/env/env-assignments.ts";
import { standardFunctions } from "../../functions/index.ts";
import { parseConfig } from "../../src/config/index.ts";
import { FunctionRegistry, execute } from "../../src/engine/index.ts";
import type { ExecutionResult } from "../../src/engine/index.ts";

const registry = FunctionRegistry.from(standardFunctions);

async function run(configData: string, args: string[]) {
  return execute({
    registry,
    configData,
    invocations: [{ FunctionName: "set-env", Arguments: args.map((Value) => ({ Value })) }],
  });
}

function expectUnchanged(result: ExecutionResult, input: string): void {
  expect(result.configData).toBe(input);
  expect(result.mutators).toEqual([]);
}

type Container = { name?: string; env?: { name: string; value?: string; valueFrom?: unknown }[] };

function containers(text: string, document = 0, list = "containers"): Container[] {
  const value = parseAllDocuments(text)[document]!.toJS() as {
    spec: { template?: { spec: Record<string, Container[]> } } & Record<string, unknown>;
  };
  const podSpec = value.spec.template?.spec ?? (value.spec as unknown as Record<string, Container[]>);
  return podSpec[list] ?? [];
}

const envOf = (c: Container | undefined) => (c?.env ?? []).map((e) => `${e.name}=${e.value ?? "<from>"}`);

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: prod
spec:
  template:
    spec:
      initContainers:
        - name: migrate
          image: app:1
      containers:
        - name: main # the app
          image: app:1
          env:
            - name: LOG_LEVEL # verbosity
              value: info
            - {name: REGION, value: eu-west-1}
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef: {name: db, key: password}
        - name: sidecar
          image: proxy:2
        - name: main
          image: duplicate-name:1
`;

describe("set-env", () => {
  it("updates existing variables in place and appends new ones with name before value", async () => {
    const result = await run(DEPLOYMENT, ["main", "LOG_LEVEL=debug", "FEATURE_X=on"]);
    expect(result.success).toBe(true);
    expect(result.configData).toContain(
      [
        "            - name: LOG_LEVEL # verbosity",
        "              value: debug",
        "            - {name: REGION, value: eu-west-1}",
        "            - name: DB_PASSWORD",
        "              valueFrom:",
        "                secretKeyRef: {name: db, key: password}",
        "            - name: FEATURE_X",
        '              value: "on"',
        "        - name: sidecar",
      ].join("\n"),
    );
    // Only the first container of that name in each list.
    expect(envOf(containers(result.configData)[2])).toEqual([]);
    expect(envOf(containers(result.configData, 0, "initContainers")[0])).toEqual([]);
  });

  it("keeps a value that would read as another type a string", async () => {
    const result = await run(DEPLOYMENT, ["main", "RETRIES=3", "ENABLED=true"]);
    const env = containers(result.configData)[0]!.env!;
    expect(env.slice(-2)).toEqual([
      { name: "RETRIES", value: "3" },
      { name: "ENABLED", value: "true" },
    ]);
  });

  it("creates env for a container without one, in the document's list style", async () => {
    const result = await run(DEPLOYMENT, ["sidecar", "PORT=8080", "MODE=proxy"]);
    expect(result.configData).toContain(
      '        - name: sidecar\n          image: proxy:2\n          env:\n            - name: PORT\n              value: "8080"\n            - name: MODE\n              value: proxy\n',
    );
  });

  it("removes variables given with an empty value, and ignores removals of missing ones", async () => {
    const result = await run(DEPLOYMENT, ["main", "REGION=", "NOT_THERE=", "LOG_LEVEL=warn"]);
    expect(result.success).toBe(true);
    expect(envOf(containers(result.configData)[0])).toEqual(["LOG_LEVEL=warn", "DB_PASSWORD=<from>"]);
    expect(result.configData).toContain(
      "            - name: LOG_LEVEL # verbosity\n              value: warn\n",
    );
  });

  it("does not create env just to remove something from it", async () => {
    const result = await run(DEPLOYMENT, ["sidecar", "NOT_THERE="]);
    expect(result.success).toBe(true);
    expectUnchanged(result, DEPLOYMENT);
  });

  it("replaces a valueFrom reference when given a literal value", async () => {
    const result = await run(DEPLOYMENT, ["main", "DB_PASSWORD=hunter2"]);
    const env = containers(result.configData)[0]!.env!;
    expect(env[2]).toEqual({ name: "DB_PASSWORD", value: "hunter2" });
  });

  it("sets every container, init container included, for *", async () => {
    const result = await run(DEPLOYMENT, ["*", "TZ=UTC"]);
    const all = [...containers(result.configData), ...containers(result.configData, 0, "initContainers")];
    expect(all.map((c) => envOf(c).at(-1))).toEqual(["TZ=UTC", "TZ=UTC", "TZ=UTC", "TZ=UTC"]);
  });

  it("targets init containers by name, and every workload layout (Pod, CronJob)", async () => {
    const data = `${DEPLOYMENT}---
apiVersion: v1
kind: Pod
metadata:
  name: debug
spec:
  containers:
  - name: migrate
    image: app:1
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: migrate
            image: app:1
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: migrate
data:
  containers: migrate
`;
    const result = await run(data, ["migrate", "STEP=all"]);
    expect(result.success).toBe(true);
    expect(envOf(containers(result.configData, 0, "initContainers")[0])).toEqual(["STEP=all"]);
    expect(envOf(containers(result.configData, 1)[0])).toEqual(["STEP=all"]);
    expect(result.configData).toContain(
      "          - name: migrate\n            image: app:1\n            env:\n            - name: STEP\n              value: all\n",
    );
    expect(result.configData.endsWith("data:\n  containers: migrate\n")).toBe(true);
  });

  it("counts a key given twice once, at its first position, with its last value", async () => {
    const result = await run(DEPLOYMENT, ["sidecar", "A=1", "B=2", "A=3"]);
    expect(envOf(containers(result.configData)[1])).toEqual(["A=3", "B=2"]);
  });

  it("writes keys in a deterministic order every time", async () => {
    const first = await run(DEPLOYMENT, ["sidecar", "Z=1", "A=2", "M=3"]);
    const second = await run(DEPLOYMENT, ["sidecar", "Z=1", "A=2", "M=3"]);
    expect(first.configData).toBe(second.configData);
    expect(envOf(containers(first.configData)[1])).toEqual(["Z=1", "A=2", "M=3"]);
  });

  it("is idempotent", async () => {
    const once = await run(DEPLOYMENT, ["main", "LOG_LEVEL=debug", "NEW=1", "REGION="]);
    const twice = await run(once.configData, ["main", "LOG_LEVEL=debug", "NEW=1", "REGION="]);
    expectUnchanged(twice, once.configData);
  });

  it("changes nothing for a container name that is not there", async () => {
    const result = await run(DEPLOYMENT, ["worker", "A=1"]);
    expect(result.success).toBe(true);
    expectUnchanged(result, DEPLOYMENT);
  });

  it("appends to flow-style env lists and keeps a missing final newline", async () => {
    const data =
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: main\n    env: [{name: A, value: '1'}]";
    const result = await run(data, ["main", "B=2"]);
    expect(result.configData).toBe(
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: main\n    env: [{name: A, value: '1'}, {name: B, value: \"2\"}]",
    );
    const block =
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: main\n    env:\n    - name: A\n      value: x";
    const appended = await run(block, ["main", "B=z"]);
    expect(appended.configData).toBe(`${block}\n    - name: B\n      value: z`);
  });

  it("rejects malformed env lists and containers with a clear error, leaving the data alone", async () => {
    const cases: [string, string][] = [
      [
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: main\n    env: {A: 1}\n",
        "env of container at path spec.containers.0 of v1/Pod p is not a list",
      ],
      [
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: main\n  - just-a-string\n",
        "container at path spec.containers.1 of v1/Pod p is not a map",
      ],
    ];
    for (const [data, message] of cases) {
      const result = await run(data, ["*", "A=1"]);
      expect(result.success).toBe(false);
      expect(result.errorMessages).toEqual([message]);
      expectUnchanged(result, data);
    }
  });

  it("reports a document without a type or name instead of skipping it", async () => {
    const data = `${DEPLOYMENT}---\nkind: Pod\nmetadata:\n  name: stray\n`;
    const result = await run(data, ["main", "A=1"]);
    expect(result.success).toBe(false);
    expect(result.errorMessages[0]).toMatch(
      /^error in resource\/element 1: resource type is missing: no string apiVersion/,
    );
    expectUnchanged(result, data);
  });

  it("validates the arguments with ConfigHub's patterns, matched against the whole value", async () => {
    const cases: [string[], string][] = [
      [
        ["main"],
        "insufficient arguments: got 1, expected 2: container-name (required), env-key-value (required)",
      ],
      [
        ["main", "NOEQUALS"],
        "value NOEQUALS for argument env-key-value is not valid: expected NAME=value, where NAME is an environment variable name (letters, digits, '-', '.' and '_', not starting with a digit)",
      ],
      [
        ["main", "=x"],
        "value =x for argument env-key-value is not valid: expected NAME=value, where NAME is an environment variable name (letters, digits, '-', '.' and '_', not starting with a digit)",
      ],
      [
        ["main", "1A=x"],
        "value 1A=x for argument env-key-value is not valid: expected NAME=value, where NAME is an environment variable name (letters, digits, '-', '.' and '_', not starting with a digit)",
      ],
      [
        ["Main", "A=x"],
        "value Main for argument container-name is not valid: expected a container name (lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters) or * for every container",
      ],
    ];
    for (const [args, message] of cases) {
      const result = await run(DEPLOYMENT, args);
      expect(result.success).toBe(false);
      expect(result.errorMessages).toEqual([message]);
    }
  });

  it("accepts values containing = and names with dots and dashes", async () => {
    const result = await run(DEPLOYMENT, ["sidecar", "conn.string-1=a=b;c=d"]);
    expect(envOf(containers(result.configData)[1])).toEqual(["conn.string-1=a=b;c=d"]);
  });

  it("is listed with its signature and the workload types it affects", () => {
    const signature = registry.lookup("Kubernetes/YAML", "set-env")!.signature;
    expect(signature).toMatchObject({
      RequiredParameters: 2,
      VarArgs: true,
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
});

describe("env assignments", () => {
  it("keeps the first position and the last value of a repeated key", () => {
    expect([...parseEnvAssignments(["A=1", "B=", "A=2=3"])]).toEqual([
      ["A", "2=3"],
      ["B", ""],
    ]);
  });

  it("reports every malformed item", () => {
    expect(() => parseEnvAssignments(["A", "=1", "B=2"])).toThrow(
      "invalid key-value pair: A\ninvalid key: =1",
    );
    expect(() => parseEnvAssignments([])).toThrow("no valid key-value pairs");
  });
});

describe("appending to a list (ConfigDocument.appendItem)", () => {
  it("refuses what is not a list and writes through no alias", () => {
    const set = parseConfig("base: &b [x]\ncopy: *b\nmap: {a: 1}\n");
    const document = set.documents[0]!;
    expect(() => document.appendItem("map", "y")).toThrow(
      "cannot append to map: it is a map or a scalar, not a list",
    );
    expect(() => document.appendItem("copy", "y")).toThrow(/cannot append to copy: it is an alias \(\*b\)/);
    expect(document.appendItem("missing", "y")).toBe(false);
    expect(set.toString()).toBe("base: &b [x]\ncopy: *b\nmap: {a: 1}\n");
  });
});
