import { describe, expect, it } from "vitest";
import { getJsonPath } from "../../functions/generic/jsonpath.ts";
import { FunctionRegistry, execute } from "../../src/engine/index.ts";
import type { AttributeValue, ExecutionResult } from "../../src/engine/index.ts";

const registry = FunctionRegistry.from([getJsonPath]);

async function run(configData: string, type: string, expression: string): Promise<ExecutionResult> {
  const result = await execute({
    registry,
    configData,
    invocations: [{ FunctionName: "get-jsonpath", Arguments: [{ Value: type }, { Value: expression }] }],
  });
  expect(result.configData).toBe(configData);
  return result;
}

async function values(configData: string, type: string, expression: string): Promise<AttributeValue[]> {
  const result = await run(configData, type, expression);
  expect(result.errorMessages).toEqual([]);
  expect(result.outputType).toBe("AttributeValueList");
  return result.output as AttributeValue[];
}

const UNIT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: prod
  annotations:
    example.com/owner: team-a # who to call
spec:
  replicas: 2
  template:
    spec:
      initContainers:
      - name: migrate
        image: migrate:1
      containers:
      - name: main
        image: web:1 # pinned
        resources:
          limits: {cpu: 500m}
      - name: sidecar
        image: envoy:1
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: prod
spec:
  ports:
  - port: 80
    targetPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: prod
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: main
        image: api:7
`;

function entry(
  name: string,
  path: string,
  dataType: string,
  value: unknown,
  extra: object = {},
): AttributeValue {
  return {
    ResourceName: `prod/${name}`,
    ResourceNameWithoutScope: name,
    ResourceType: "apps/v1/Deployment",
    ResourceCategory: "Resource",
    Path: path,
    DataType: dataType,
    Value: value,
    ...extra,
  } as AttributeValue;
}

describe("get-jsonpath", () => {
  it("lists every match of a wildcard with its resolved path, sorted by resource", async () => {
    expect(await values(UNIT, "apps/v1/Deployment", "$.spec.template.spec.containers[*].image")).toEqual([
      entry("api", "spec.template.spec.containers.0.image", "string", "api:7"),
      entry("web", "spec.template.spec.containers.0.image", "string", "web:1", { Comment: "# pinned" }),
      entry("web", "spec.template.spec.containers.1.image", "string", "envoy:1"),
    ]);
  });

  it("filters by comparison and reaches init containers through recursive descent", async () => {
    expect(
      await values(UNIT, "apps/v1/Deployment", '$..[?(@.name == "migrate" || @.name == "sidecar")].image'),
    ).toEqual([
      entry("web", "spec.template.spec.initContainers.0.image", "string", "migrate:1"),
      entry("web", "spec.template.spec.containers.1.image", "string", "envoy:1"),
    ]);
  });

  it("reports ints, maps and keys with dots, escaped the way the path language reads them", async () => {
    expect(await values(UNIT, "apps/v1/Deployment", "$.spec.replicas")).toEqual([
      entry("api", "spec.replicas", "int", 1),
      entry("web", "spec.replicas", "int", 2),
    ]);
    expect(await values(UNIT, "apps/v1/Deployment", "$.metadata.annotations")).toEqual([
      entry("web", "metadata.annotations", "YAML", "example.com/owner: team-a\n"),
    ]);
    expect(await values(UNIT, "apps/v1/Deployment", "$.metadata.annotations['example.com/owner']")).toEqual([
      entry("web", "metadata.annotations.example~1com/owner", "string", "team-a", {
        Comment: "# who to call",
      }),
    ]);
  });

  it("queries every resource with *, cluster-scoped or not, and nothing when the path is missing", async () => {
    const names = await values(UNIT, "*", "$.metadata.name");
    expect(names.map((v) => [v.ResourceType, v.ResourceName, v.Value])).toEqual([
      ["apps/v1/Deployment", "prod/api", "api"],
      ["apps/v1/Deployment", "prod/web", "web"],
      ["v1/Service", "prod/web", "web"],
    ]);
    expect(await values(UNIT, "v1/Service", "$.spec.nothing[*]")).toEqual([]);
    expect(
      await values(
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n",
        "v1/Namespace",
        "$.metadata.name",
      ),
    ).toEqual([
      {
        ResourceName: "/prod",
        ResourceNameWithoutScope: "prod",
        ResourceType: "v1/Namespace",
        ResourceCategory: "Resource",
        Path: "metadata.name",
        DataType: "string",
        Value: "prod",
      },
    ]);
  });

  it("refuses malformed expressions with the column", async () => {
    const cases: [string, string][] = [
      [
        "spec.replicas",
        "invalid JSONPath expression spec.replicas: the expression must start with $ at column 1",
      ],
      ["$.spec.containers[0", "invalid JSONPath expression $.spec.containers[0: unclosed [ at column 18"],
      ["$.spec)", "invalid JSONPath expression $.spec): unexpected ) at column 7"],
      [
        "$.metadata['name",
        "invalid JSONPath expression $.metadata['name: unterminated string starting at column 12",
      ],
    ];
    for (const [expression, message] of cases) {
      const result = await run(UNIT, "*", expression);
      expect(result.success, expression).toBe(false);
      expect(result.errorMessages).toEqual([message]);
    }
  });

  it("refuses filters that call functions or use regular expressions (no catastrophic backtracking)", async () => {
    const cases: [string, string][] = [
      [
        '$..[?(@.name.match("^(a+)+$"))]',
        "function and method calls are not allowed in filters at column 19",
      ],
      [
        "$..[?(/^(a+)+$/.test(@.name))]",
        "regular expressions and division are not allowed in filters at column 7",
      ],
      ["$..[?(@.name = 'x')]", "assignment is not allowed in filters (compare with ==) at column 14"],
    ];
    for (const [expression, reason] of cases) {
      const result = await run(UNIT, "*", expression);
      expect(result.errorMessages).toEqual([`invalid JSONPath expression ${expression}: ${reason}`]);
    }
  });

  it("reports a filter that fails to evaluate, naming the resource", async () => {
    const result = await run(UNIT, "v1/Service", "$.spec.ports[?(@.port.x.y > 1)]");
    expect(result.success).toBe(false);
    expect(result.errorMessages).toHaveLength(1);
    expect(result.errorMessages[0]).toMatch(
      /^JSONPath expression \$\.spec\.ports\[\?\(@\.port\.x\.y > 1\)\] failed on resource prod\/web: /,
    );
  });
});
