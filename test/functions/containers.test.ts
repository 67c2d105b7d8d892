// Container getters and setters (spec §5.3) through the executor: names, images (whole, #uri,
// #reference), env vars and replicas, over containers, initContainers and every workload type.
import { describe, expect, it } from "vitest";
import { standardFunctions } from "../../functions/index.ts";
import { FunctionRegistry } from "../../src/engine/index.ts";
import { functionRunner } from "../support/function-runs.ts";
import type { AttributeValue, ExecutionResult } from "../../src/engine/index.ts";

const registry = FunctionRegistry.from(standardFunctions);

const run = functionRunner(registry);

function values(result: ExecutionResult): [string, string, unknown][] {
  expect(result.errorMessages).toEqual([]);
  return (result.output as AttributeValue[]).map((a) => [a.ResourceName, a.Path, a.Value]);
}

function expectUnchanged(result: ExecutionResult, input: string): void {
  expect(result.configData).toBe(input);
  expect(result.dataChanged).toBe(false);
  expect(result.mutators).toEqual([]);
}

const UNIT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: prod
spec:
  replicas: 2 # keep two
  template:
    spec:
      initContainers:
        - name: migrate
          image: registry.example.com:5000/tools/migrate:v1 # pinned
      containers:
        - name: app
          image: ghcr.io/acme/app@sha256:abc123
          env:
            - name: MODE
              value: fast
            - name: LEVEL
              value: "3"
        - name: sidecar
          image: envoy
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
  namespace: ops
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: app
              image: busybox:1.36
---
apiVersion: v1
kind: Pod
metadata:
  name: debug
spec:
  containers:
    - name: shell
      image: alpine:3
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  template:
    spec:
      containers:
        - name: agent
          image: agent:1
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  image: not-a-container
`;

describe("get-container-name", () => {
  it("lists containers and init containers of every workload type, sorted by type, name and path", async () => {
    const result = await run(UNIT, "get-container-name");
    expect(values(result)).toEqual([
      ["/agent", "spec.template.spec.containers.0.name", "agent"],
      ["prod/web", "spec.template.spec.containers.0.name", "app"],
      ["prod/web", "spec.template.spec.containers.1.name", "sidecar"],
      ["prod/web", "spec.template.spec.initContainers.0.name", "migrate"],
      ["ops/nightly", "spec.jobTemplate.spec.template.spec.containers.0.name", "app"],
      ["/debug", "spec.containers.0.name", "shell"],
    ]);
    const first = (result.output as AttributeValue[])[0]!;
    expect(first).toEqual({
      ResourceName: "/agent",
      ResourceNameWithoutScope: "agent",
      ResourceType: "apps/v1/DaemonSet",
      ResourceCategory: "Resource",
      Path: "spec.template.spec.containers.0.name",
      AttributeName: "container-name",
      DataType: "string",
      Info: { GetterInvocation: { FunctionName: "get-container-name", Arguments: null } },
      Value: "agent",
    });
  });

  it("returns an empty list when no resource has containers", async () => {
    const result = await run("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n", "get-container-name");
    expect(result.output).toEqual([]);
  });
});

describe("get-image", () => {
  it("finds the named container in every workload, with the container-name binding in Info", async () => {
    const result = await run(UNIT, "get-image", ["app"]);
    expect(values(result)).toEqual([
      ["prod/web", "spec.template.spec.containers.0.image", "ghcr.io/acme/app@sha256:abc123"],
      ["ops/nightly", "spec.jobTemplate.spec.template.spec.containers.0.image", "busybox:1.36"],
    ]);
    expect((result.output as AttributeValue[])[0]!.Info).toEqual({
      GetterInvocation: {
        FunctionName: "get-image",
        Arguments: [{ ParameterName: "container-name", Value: "app" }],
      },
      SetterInvocations: [
        { FunctionName: "set-image", Arguments: [{ ParameterName: "container-name", Value: "app" }] },
      ],
    });
  });

  it("with * returns every container, init containers included, each bound to its own name and keeping its comment", async () => {
    const result = await run(UNIT, "get-image", ["*"]);
    const list = result.output as AttributeValue[];
    expect(list.map((a) => [a.Path, a.Info?.GetterInvocation?.Arguments?.[0]?.Value])).toEqual([
      ["spec.template.spec.containers.0.image", "agent"],
      ["spec.template.spec.containers.0.image", "app"],
      ["spec.template.spec.containers.1.image", "sidecar"],
      ["spec.template.spec.initContainers.0.image", "migrate"],
      ["spec.jobTemplate.spec.template.spec.containers.0.image", "app"],
      ["spec.containers.0.image", "shell"],
    ]);
    expect(list.find((a) => a.Path.includes("initContainers"))!.Comment).toBe("# pinned");
  });

  it("returns nothing for a container that does not exist", async () => {
    expect(values(await run(UNIT, "get-image", ["nope"]))).toEqual([]);
  });

  it("rejects a container name that is not a DNS label, with the pattern in the message", async () => {
    const result = await run(UNIT, "get-image", ["Bad_Name"]);
    expect(result.success).toBe(false);
    expect(result.errorMessages).toEqual([
      "value Bad_Name for argument container-name is not valid: expected a container name (lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters) or * for every container",
    ]);
  });
});

describe("get-image-uri and get-image-reference", () => {
  it("split images into repository URI and :tag / @digest, with #uri / #reference in the path", async () => {
    const uris = await run(UNIT, "get-image-uri", ["*"]);
    expect(values(uris).map(([, path, value]) => [path, value])).toEqual([
      ["spec.template.spec.containers.0.image#uri", "agent"],
      ["spec.template.spec.containers.0.image#uri", "ghcr.io/acme/app"],
      ["spec.template.spec.containers.1.image#uri", "envoy"],
      ["spec.template.spec.initContainers.0.image#uri", "registry.example.com:5000/tools/migrate"],
      ["spec.jobTemplate.spec.template.spec.containers.0.image#uri", "busybox"],
      ["spec.containers.0.image#uri", "alpine"],
    ]);
    expect((uris.output as AttributeValue[])[0]!.AttributeName).toBe("container-repository-uri");
    const references = await run(UNIT, "get-image-reference", ["*"]);
    expect(values(references).map(([, , value]) => value)).toEqual([
      ":1",
      "@sha256:abc123",
      "",
      ":v1",
      ":1.36",
      ":3",
    ]);
  });
});

describe("set-image", () => {
  it("sets only the named container's image, in every workload that has it, keeping comments", async () => {
    const result = await run(UNIT, "set-image", ["app", "ghcr.io/acme/app:v2"]);
    expect(result.success).toBe(true);
    expect(result.configData).toBe(
      UNIT.replace("image: ghcr.io/acme/app@sha256:abc123", "image: ghcr.io/acme/app:v2").replace(
        "image: busybox:1.36",
        "image: ghcr.io/acme/app:v2",
      ),
    );
  });

  it("sets init containers by name too", async () => {
    const result = await run(UNIT, "set-image", ["migrate", "tools/migrate:v2"]);
    expect(result.configData).toBe(
      UNIT.replace("registry.example.com:5000/tools/migrate:v1 # pinned", "tools/migrate:v2 # pinned"),
    );
  });

  it("with * sets every container", async () => {
    const result = await run(UNIT, "set-image", ["*", "busybox:stable"]);
    const images = values(await run(result.configData, "get-image", ["*"])).map(([, , value]) => value);
    expect(images).toEqual(Array(6).fill("busybox:stable"));
  });

  it("changes nothing for a container that does not exist", async () => {
    expectUnchanged(await run(UNIT, "set-image", ["nope", "x:1"]), UNIT);
  });

  it("rejects an image that is not a valid reference and leaves the data alone", async () => {
    const result = await run(UNIT, "set-image", ["app", "UPPER:case"]);
    expect(result.success).toBe(false);
    expect(result.errorMessages[0]).toMatch(
      /^value UPPER:case for argument container-image is not valid: expected an image such as nginx/,
    );
    expectUnchanged(result, UNIT);
  });
});

describe("set-image-uri and set-image-reference", () => {
  it("replace only their part of the image", async () => {
    const uri = await run(UNIT, "set-image-uri", ["migrate", "mirror.local/migrate"]);
    expect(uri.configData).toContain("image: mirror.local/migrate:v1 # pinned");
    const reference = await run(UNIT, "set-image-reference", ["app", ":v2"]);
    expect(reference.configData).toContain("image: ghcr.io/acme/app:v2\n");
    expect(reference.configData).toContain("image: busybox:v2\n");
  });

  it("fail on an image without a tag or digest (a setter never creates the part) and change nothing", async () => {
    const result = await run(UNIT, "set-image-reference", ["sidecar", ":v2"]);
    expect(result.success).toBe(false);
    expect(result.errorMessages).toEqual([
      'embedded field reference not found at path spec.template.spec.containers.1.image (apps/v1/Deployment prod/web): the image "envoy" has no tag or digest to replace; set the whole image instead (set-image <container> envoy:v2)',
    ]);
    expectUnchanged(result, UNIT);
  });

  it("reject a reference without its separator", async () => {
    const result = await run(UNIT, "set-image-reference", ["app", "v2"]);
    expect(result.success).toBe(false);
    expect(result.errorMessages[0]).toMatch(
      /^value v2 for argument image-reference is not valid: expected a tag or digest/,
    );
  });
});

describe("get-env-var and set-env-var", () => {
  it("read an existing variable with both bindings in Info", async () => {
    const result = await run(UNIT, "get-env-var", ["app", "LEVEL"]);
    expect(values(result)).toEqual([["prod/web", "spec.template.spec.containers.0.env.1.value", "3"]]);
    expect((result.output as AttributeValue[])[0]!.Info?.SetterInvocations).toEqual([
      {
        FunctionName: "set-env-var",
        Arguments: [
          { ParameterName: "container-name", Value: "app" },
          { ParameterName: "env-var", Value: "LEVEL" },
        ],
      },
    ]);
  });

  it("update an existing variable, keeping a quoted value quoted where it must be", async () => {
    const result = await run(UNIT, "set-env-var", ["app", "LEVEL", "4"]);
    expect(result.configData).toBe(UNIT.replace('value: "3"', 'value: "4"'));
  });

  it("do not add a variable that does not exist (set-env does)", async () => {
    expectUnchanged(await run(UNIT, "set-env-var", ["app", "NEW", "x"]), UNIT);
    expect(values(await run(UNIT, "get-env-var", ["app", "NEW"]))).toEqual([]);
  });

  it("reject an invalid variable name", async () => {
    const result = await run(UNIT, "set-env-var", ["app", "1BAD", "x"]);
    expect(result.errorMessages).toEqual([
      "value 1BAD for argument env-var is not valid: expected an environment variable name (letters, digits, '-', '.' and '_', not starting with a digit)",
    ]);
  });
});

describe("get-replicas and set-replicas", () => {
  it("read replicas of Deployments, ReplicaSets and StatefulSets only, with the schema description", async () => {
    const result = await run(UNIT, "get-replicas");
    expect(values(result)).toEqual([["prod/web", "spec.replicas", 2]]);
    const [replicas] = result.output as AttributeValue[];
    expect(replicas!.DataType).toBe("int");
    expect(replicas!.Comment).toBe("# keep two");
    expect(replicas!.Info?.Description).toMatch(/^Number of desired pods/);
  });

  it("set replicas in place, keeping the line comment", async () => {
    const result = await run(UNIT, "set-replicas", ["5"]);
    expect(result.configData).toBe(UNIT.replace("replicas: 2 # keep two", "replicas: 5 # keep two"));
    expect(result.mutators).toEqual([0]);
  });

  it("do not add replicas to a workload that has none", async () => {
    const input = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n";
    expectUnchanged(await run(input, "set-replicas", ["3"]), input);
  });

  it("reject a negative count and a non-number", async () => {
    expect((await run(UNIT, "set-replicas", ["-1"])).errorMessages).toEqual([
      "argument replicas value -1 is out of range: must be at least 0",
    ]);
    const result = await run(UNIT, "set-replicas", ["many"]);
    expect(result.success).toBe(false);
    expect(result.errorMessages[0]).toMatch(/^cannot convert argument replicas value many to int/);
  });

  it("report a replicas value of the wrong type instead of guessing", async () => {
    const input = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: "2"\n';
    const result = await run(input, "get-replicas");
    expect(result.success).toBe(false);
    expect(result.errorMessages).toEqual([
      "value 2 at path spec.replicas is of type string but expected int (apps/v1/Deployment web)",
    ]);
    const set = await run(input, "set-replicas", ["3"]);
    expect(set.errorMessages).toEqual([
      "value 2 at path spec.replicas of apps/v1/Deployment web cannot be converted to int",
    ]);
    expectUnchanged(set, input);
  });
});

describe("malformed resources", () => {
  it("name the document without a kind and change nothing", async () => {
    const input = "apiVersion: apps/v1\nmetadata:\n  name: web\nspec:\n  replicas: 1\n";
    const result = await run(input, "set-replicas", ["3"]);
    expect(result.success).toBe(false);
    expect(result.errorMessages[0]).toMatch(/^error in resource\/element 0: .*kind/);
    expectUnchanged(result, input);
  });
});
