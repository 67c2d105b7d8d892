// Generic path functions (spec §1, §5.1) through the executor: get/set-string/int/bool-path,
// set-path-comment, get-attributes, set-attributes and get-details.
import { describe, expect, it } from "vitest";
import { standardFunctions } from "../../functions/index.ts";
import { FunctionRegistry } from "../../src/engine/index.ts";
import { functionRunner } from "../support/function-runs.ts";
import type { AttributeValue, ExecutionResult } from "../../src/engine/index.ts";

const registry = FunctionRegistry.from(standardFunctions);

const run = functionRunner(registry);

function output(result: ExecutionResult): AttributeValue[] {
  expect(result.errorMessages).toEqual([]);
  return result.output as AttributeValue[];
}

function values(result: ExecutionResult): [string, string, unknown][] {
  return output(result).map((a) => [a.ResourceName, a.Path, a.Value]);
}

function expectUnchanged(result: ExecutionResult, input: string): void {
  expect(result.configData).toBe(input);
  expect(result.dataChanged).toBe(false);
  expect(result.mutators).toEqual([]);
}

const DEPLOYMENT = "apps/v1/Deployment";
const CONTAINERS = "spec.template.spec.containers";

const UNIT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: prod
  labels:
    app.kubernetes.io/name: web
spec:
  replicas: 3 # three for HA
  paused: false
  template:
    spec:
      containers:
        - name: app
          image: ghcr.io/acme/app:v1
          securityContext:
            privileged: false
        - name: sidecar
          image: envoy:1.30
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
  namespace: prod
spec:
  replicas: 1
  template:
    spec:
      containers:
        - name: app
          image: ghcr.io/acme/app:v1
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: prod
data:
  mode: fast
`;

describe("get-string-path, get-int-path, get-bool-path", () => {
  it("read a concrete path in every resource of the type, with the registered metadata", async () => {
    const result = await run(UNIT, "get-int-path", [DEPLOYMENT, "spec.replicas"]);
    expect(values(result)).toEqual([
      ["prod/web", "spec.replicas", 3],
      ["prod/worker", "spec.replicas", 1],
    ]);
    const [web] = output(result);
    expect(web!.AttributeName).toBe("replicas");
    expect(web!.Comment).toBe("# three for HA");
    expect(web!.Info?.GetterInvocation).toEqual({ FunctionName: "get-replicas", Arguments: null });
  });

  it("learn the container-name binding of a registered concrete path and apply its accessor", async () => {
    const [value] = output(
      await run(UNIT, "get-string-path", [DEPLOYMENT, `${CONTAINERS}.1.image#reference`]),
    );
    expect(value).toMatchObject({
      ResourceName: "prod/web",
      Path: `${CONTAINERS}.1.image#reference`,
      AttributeName: "container-image-reference",
      Value: ":1.30",
    });
    expect(value!.Info?.SetterInvocations).toEqual([
      {
        FunctionName: "set-image-reference",
        Arguments: [{ ParameterName: "container-name", Value: "sidecar" }],
      },
    ]);
  });

  it("record an associative match as an unnamed binding", async () => {
    const [value] = output(
      await run(UNIT, "get-string-path", [DEPLOYMENT, `${CONTAINERS}.?name=sidecar.image#uri`]),
    );
    expect(value!.Value).toBe("envoy");
    expect(value!.Info?.GetterInvocation).toEqual({
      FunctionName: "get-image-uri",
      Arguments: [{ Value: "sidecar" }],
    });
  });

  it("report an unregistered path as attribute-value without Info", async () => {
    const [value] = output(await run(UNIT, "get-string-path", ["v1/ConfigMap", "data.mode"]));
    expect(value).toEqual({
      ResourceName: "prod/settings",
      ResourceNameWithoutScope: "settings",
      ResourceType: "v1/ConfigMap",
      ResourceCategory: "Resource",
      Path: "data.mode",
      AttributeName: "attribute-value",
      DataType: "string",
      Value: "fast",
    });
  });

  it("read keys with dots through ~1, with the registered name (design §9: ~1 kept in registry paths)", async () => {
    const [value] = output(
      await run(UNIT, "get-string-path", [DEPLOYMENT, "metadata.labels.app~1kubernetes~1io/name"]),
    );
    expect(value).toMatchObject({
      Path: "metadata.labels.app~1kubernetes~1io/name",
      AttributeName: "app-label",
      Value: "web",
    });
  });

  it("with resource type * read every resource, and wildcards fan out", async () => {
    expect(
      values(await run(UNIT, "get-string-path", ["*", "metadata.namespace"])).map(([name]) => name),
    ).toEqual(["prod/web", "prod/worker", "prod/settings"]);
    expect(values(await run(UNIT, "get-string-path", [DEPLOYMENT, `${CONTAINERS}.*.name`]))).toEqual([
      ["prod/web", `${CONTAINERS}.0.name`, "app"],
      ["prod/web", `${CONTAINERS}.1.name`, "sidecar"],
      ["prod/worker", `${CONTAINERS}.0.name`, "app"],
    ]);
  });

  it("return nothing for a missing path or a type with no resources", async () => {
    expect(values(await run(UNIT, "get-bool-path", [DEPLOYMENT, "spec.nothing"]))).toEqual([]);
    expect(values(await run(UNIT, "get-bool-path", ["v1/Secret", "spec.paused"]))).toEqual([]);
    expect(values(await run(UNIT, "get-string-path", [DEPLOYMENT, `${CONTAINERS}.7.image`]))).toEqual([]);
  });

  it("fail on a value of another type or a non-scalar, naming path and resource", async () => {
    const wrongType = await run(UNIT, "get-string-path", [DEPLOYMENT, "spec.paused"]);
    expect(wrongType.success).toBe(false);
    expect(wrongType.errorMessages).toEqual([
      "value false at path spec.paused is of type bool but expected string (apps/v1/Deployment prod/web)",
    ]);
    const map = await run(UNIT, "get-int-path", ["v1/ConfigMap", "data"]);
    expect(map.errorMessages).toEqual(["type map not supported at path data of v1/ConfigMap prod/settings"]);
  });

  it("fail on a malformed path with its column", async () => {
    const result = await run(UNIT, "get-string-path", [DEPLOYMENT, "spec.?x"]);
    expect(result.success).toBe(false);
    expect(result.errorMessages[0]).toMatch(/^invalid path "spec\.\?x" at column \d+: /);
  });
});

describe("set-string-path, set-int-path, set-bool-path", () => {
  it("replace a value in place, keeping its comment", async () => {
    const result = await run(UNIT, "set-int-path", [DEPLOYMENT, "spec.replicas", "5"]);
    expect(result.configData).toBe(
      UNIT.replace("replicas: 3 # three for HA", "replicas: 5 # three for HA").replace(
        "replicas: 1",
        "replicas: 5",
      ),
    );
  });

  it("upsert the plain tail of a path, in every container a wildcard visits", async () => {
    const result = await run(UNIT, "set-bool-path", [
      DEPLOYMENT,
      `${CONTAINERS}.*.securityContext.runAsNonRoot`,
      "true",
    ]);
    const after = values(
      await run(result.configData, "get-bool-path", [
        DEPLOYMENT,
        `${CONTAINERS}.*.securityContext.runAsNonRoot`,
      ]),
    );
    expect(after).toEqual([
      ["prod/web", `${CONTAINERS}.0.securityContext.runAsNonRoot`, true],
      ["prod/web", `${CONTAINERS}.1.securityContext.runAsNonRoot`, true],
      ["prod/worker", `${CONTAINERS}.0.securityContext.runAsNonRoot`, true],
    ]);
    expect(result.configData).toContain(
      "          securityContext:\n            privileged: false\n            runAsNonRoot: true\n",
    );
  });

  it("with ?name=x upsert only in the matching container", async () => {
    const result = await run(UNIT, "set-string-path", [
      DEPLOYMENT,
      `${CONTAINERS}.?name=sidecar.imagePullPolicy`,
      "Always",
    ]);
    expect(result.configData).toBe(
      UNIT.replace(
        "          image: envoy:1.30\n",
        "          image: envoy:1.30\n          imagePullPolicy: Always\n",
      ),
    );
  });

  it("with .| create only below a node that exists", async () => {
    const path = `${CONTAINERS}.*.securityContext.|runAsNonRoot`;
    const result = await run(UNIT, "set-bool-path", [DEPLOYMENT, path, "true"]);
    expect(result.configData).toBe(
      UNIT.replace(
        "            privileged: false\n",
        "            privileged: false\n            runAsNonRoot: true\n",
      ),
    );
  });

  it("never create array elements", async () => {
    const result = await run(UNIT, "set-string-path", ["v1/ConfigMap", "data.list.3", "x"]);
    expect(result.configData).toBe(UNIT.replace("  mode: fast\n", '  mode: fast\n  list:\n    "3": x\n'));
    const beyond = await run(UNIT, "set-string-path", [DEPLOYMENT, `${CONTAINERS}.5.workingDir`, "/app"]);
    expect(beyond.success).toBe(false);
    expect(beyond.errorMessages[0]).toMatch(/out of bounds/);
    expectUnchanged(beyond, UNIT);
  });

  it("write through a registered accessor and leave the rest of the string", async () => {
    const result = await run(UNIT, "set-string-path", [
      DEPLOYMENT,
      `${CONTAINERS}.0.image#uri`,
      "mirror.local/app",
    ]);
    expect(result.configData).toBe(
      UNIT.replace(/image: ghcr\.io\/acme\/app:v1/g, "image: mirror.local/app:v1"),
    );
  });

  it("use the built-in accessors on unregistered paths and reject unknown ones (ConfigHub ignored them)", async () => {
    const input =
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: images\ndata:\n  app: ghcr.io/acme/app:v1\n";
    const result = await run(input, "set-string-path", ["v1/ConfigMap", "data.app#reference", ":v2"]);
    expect(result.configData).toBe(input.replace("app:v1", "app:v2"));
    expect(values(await run(input, "get-string-path", ["v1/ConfigMap", "data.app#uri"]))).toEqual([
      ["/images", "data.app#uri", "ghcr.io/acme/app"],
    ]);
    const unknown = await run(input, "get-string-path", ["v1/ConfigMap", "data.app#tag"]);
    expect(unknown.errorMessages).toEqual([
      "unknown accessor #tag in data.app#tag: known accessors are #uri, #reference, #subdomain, #domain",
    ]);
  });

  it("refuse to change a value's type, and change nothing", async () => {
    const result = await run(UNIT, "set-string-path", [DEPLOYMENT, "spec.replicas", "three"]);
    expect(result.errorMessages).toEqual([
      [
        "value 3 at path spec.replicas of apps/v1/Deployment prod/web cannot be converted to string",
        "value 1 at path spec.replicas of apps/v1/Deployment prod/worker cannot be converted to string",
      ].join("\n"),
    ]);
    expectUnchanged(result, UNIT);
  });

  it("reject an attribute value that is not of the function's type", async () => {
    expect((await run(UNIT, "set-int-path", [DEPLOYMENT, "spec.replicas", "3.5"])).errorMessages[0]).toMatch(
      /^cannot convert argument attribute-value value 3\.5 to int/,
    );
    expect((await run(UNIT, "set-bool-path", [DEPLOYMENT, "spec.paused", "maybe"])).errorMessages[0]).toMatch(
      /^cannot convert argument attribute-value value maybe to bool/,
    );
  });

  it("write strings that look like other types as strings", async () => {
    const result = await run(UNIT, "set-string-path", ["v1/ConfigMap", "data.mode", "true"]);
    expect(result.configData).toContain('  mode: "true"\n');
  });
});

describe("set-path-comment", () => {
  it("sets or replaces the line comment of each match, and creates nothing", async () => {
    const result = await run(UNIT, "set-path-comment", [DEPLOYMENT, "spec.replicas", "scaled by HPA"]);
    expect(result.configData).toBe(
      UNIT.replace("replicas: 3 # three for HA", "replicas: 3 # scaled by HPA").replace(
        "replicas: 1\n",
        "replicas: 1 # scaled by HPA\n",
      ),
    );
    expectUnchanged(await run(UNIT, "set-path-comment", [DEPLOYMENT, "spec.missing", "x"]), UNIT);
  });

  it("rejects a comment with a line break", async () => {
    const result = await run(UNIT, "set-path-comment", [DEPLOYMENT, "spec.replicas", "a\nb"]);
    expect(result.errorMessages).toEqual([
      "comment must be a single line: a line comment cannot contain a line break",
    ]);
    expectUnchanged(result, UNIT);
  });
});

describe("get-attributes and get-details", () => {
  it("get-attributes lists the General registry's attributes of every resource, sorted", async () => {
    const list = output(await run(UNIT, "get-attributes"));
    const web = list
      .filter((a) => a.ResourceName === "prod/web")
      .map((a) => [a.Path, a.AttributeName, a.Value]);
    expect(web).toEqual([
      ["metadata.labels.app~1kubernetes~1io/name", "app-label", "web"],
      ["metadata.name", "resource-name", "web"],
      ["metadata.namespace", "resource-name", "prod"],
      ["spec.replicas", "replicas", 3],
      [`${CONTAINERS}.0.image`, "container-image", "ghcr.io/acme/app:v1"],
      [`${CONTAINERS}.0.image#reference`, "container-image-reference", ":v1"],
      [`${CONTAINERS}.0.image#uri`, "container-repository-uri", "ghcr.io/acme/app"],
      [`${CONTAINERS}.0.name`, "container-name", "app"],
      [`${CONTAINERS}.1.image`, "container-image", "envoy:1.30"],
      [`${CONTAINERS}.1.image#reference`, "container-image-reference", ":1.30"],
      [`${CONTAINERS}.1.image#uri`, "container-repository-uri", "envoy"],
      [`${CONTAINERS}.1.name`, "container-name", "sidecar"],
    ]);
    expect(list.filter((a) => a.ResourceType === "v1/ConfigMap").map((a) => a.Path)).toEqual([
      "metadata.name",
      "metadata.namespace",
    ]);
  });

  it("get-attributes fails on a registered attribute that holds a map", async () => {
    const input = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: {a: b}\n";
    const result = await run(input, "get-attributes");
    expect(result.errorMessages).toEqual([
      "type map not supported at path metadata.namespace of v1/ConfigMap x",
    ]);
  });

  it("get-details lists the detail registry's attributes with schema descriptions", async () => {
    const list = output(await run(UNIT, "get-details"));
    const replicas = list.find((a) => a.ResourceName === "prod/web" && a.Path === "spec.replicas");
    expect(replicas!.Info?.Description).toMatch(/^Number of desired pods/);
    expect(list.every((a) => a.ResourceType === DEPLOYMENT)).toBe(true);
  });
});

describe("set-attributes", () => {
  it("writes back a modified getter output, each value to the resource it was read from", async () => {
    const images = output(await run(UNIT, "get-image-uri", ["app"]));
    expect(images.map((a) => a.ResourceName)).toEqual(["prod/web", "prod/worker"]);
    const edited = images.map((a) =>
      a.ResourceName === "prod/worker" ? { ...a, Value: "mirror.local/app" } : a,
    );
    const result = await run(UNIT, "set-attributes", [JSON.stringify(edited)]);
    expect(result.success).toBe(true);
    expect(
      values(await run(result.configData, "get-image", ["app"])).map(([name, , value]) => [name, value]),
    ).toEqual([
      ["prod/web", "ghcr.io/acme/app:v1"],
      ["prod/worker", "mirror.local/app:v1"],
    ]);
  });

  it("with an empty ResourceName writes every resource of the type, rounding ints and never upserting", async () => {
    const list = [
      { ResourceName: "", ResourceType: DEPLOYMENT, Path: "spec.replicas", DataType: "int", Value: 4.6 },
      { ResourceName: "", ResourceType: DEPLOYMENT, Path: "spec.paused", DataType: "bool", Value: true },
    ];
    const result = await run(UNIT, "set-attributes", [JSON.stringify(list)]);
    expect(result.configData).toBe(
      UNIT.replace("replicas: 3 #", "replicas: 5 #")
        .replace("replicas: 1\n", "replicas: 5\n")
        .replace("paused: false", "paused: true"),
    );
  });

  it("reports every bad entry, one per line, and changes nothing", async () => {
    const list = [
      { ResourceType: DEPLOYMENT, Path: "spec.replicas", DataType: "int", Value: 2 },
      {
        ResourceType: DEPLOYMENT,
        Path: "spec.replicas",
        DataType: "string",
        Value: 2,
        AttributeName: "replicas",
      },
      { ResourceType: DEPLOYMENT, Path: "spec.replicas", DataType: "float", Value: 2 },
      { Path: "spec.replicas", DataType: "int", Value: 2 },
      "nonsense",
    ];
    const result = await run(UNIT, "set-attributes", [JSON.stringify(list)]);
    expect(result.success).toBe(false);
    expect(result.errorMessages).toEqual([
      [
        "value of attribute replicas is not string: 2 (attribute-list entry 1, path spec.replicas)",
        "unsupported data type float (attribute-list entry 2, path spec.replicas)",
        "attribute-list entry 3, path spec.replicas: ResourceType must be a non-empty string",
        "attribute-list entry 4 is not an AttributeValue object",
      ].join("\n"),
    ]);
    expectUnchanged(result, UNIT);
  });

  it("rejects an argument that is not a JSON array", async () => {
    expect((await run(UNIT, "set-attributes", ["{not json"])).errorMessages[0]).toMatch(
      /^failed to unmarshal attribute-list argument: /,
    );
    expect((await run(UNIT, "set-attributes", ['{"a":1}'])).errorMessages).toEqual([
      "failed to unmarshal attribute-list argument: expected a JSON array of AttributeValues",
    ]);
  });
});
