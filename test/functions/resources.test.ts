import { describe, expect, it } from "vitest";
import { standardFunctions } from "../../functions/index.ts";
import { FunctionRegistry, execute } from "../../src/engine/index.ts";
import {
  conformanceGolden,
  conformanceTestData,
  functionRunner,
  plainDocuments,
} from "../support/function-runs.ts";
import type { ExecutionResult, Resource, ResourceInfo } from "../../src/engine/index.ts";

const registry = FunctionRegistry.from(standardFunctions);

const run = functionRunner(registry);

function expectUnchanged(result: ExecutionResult, input: string): void {
  expect(result.configData).toBe(input);
  expect(result.dataChanged).toBe(false);
  expect(result.mutators).toEqual([]);
}

const UNIT = `# shared settings
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: prod
data:
  mode: fast # the default
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: prod
spec:
  replicas: 2
---
apiVersion: v1
kind: Namespace
metadata:
  name: prod
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: staging
data:
  mode: slow
`;

describe("get-resources", () => {
  it("lists every resource with its YAML text as the body by default", async () => {
    const result = await run(UNIT, "get-resources");
    expect(result.success).toBe(true);
    expect(result.outputType).toBe("ResourceList");
    const resources = result.output as Resource[];
    expect(resources.map((r) => [r.ResourceType, r.ResourceName, r.ResourceNameWithoutScope])).toEqual([
      ["v1/ConfigMap", "prod/settings", "settings"],
      ["apps/v1/Deployment", "prod/web", "web"],
      ["v1/Namespace", "/prod", "prod"],
      ["v1/ConfigMap", "staging/settings", "settings"],
    ]);
    expect(resources.every((r) => r.ResourceCategory === "Resource")).toBe(true);
    // The body is the document's own text: comments and formatting kept, no `---`.
    expect(resources[0]!.ResourceBody).toBe(
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: prod\ndata:\n  mode: fast # the default\n",
    );
    expect(resources[2]!.ResourceBody).toBe("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n");
  });

  it("leaves the body out for none and gives compact JSON with sorted keys for json", async () => {
    const none = (await run(UNIT, "get-resources", ["none"])).output as Resource[];
    expect(none[1]).toEqual({
      ResourceName: "prod/web",
      ResourceNameWithoutScope: "web",
      ResourceType: "apps/v1/Deployment",
      ResourceCategory: "Resource",
    });
    expect(Object.keys(none[1]!)).not.toContain("ResourceBody");

    const json = (await run(UNIT, "get-resources", ["json"])).output as Resource[];
    expect(json[1]!.ResourceBody).toBe(
      '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"prod"},"spec":{"replicas":2}}',
    );
  });

  it("gives the YAML text for native, Kubernetes' native format", async () => {
    const native = (await run(UNIT, "get-resources", ["native"])).output as Resource[];
    const yaml = (await run(UNIT, "get-resources", ["yaml"])).output as Resource[];
    expect(native).toEqual(yaml);
  });

  it("escapes JSON like Go and rejects values JSON cannot hold", async () => {
    const data =
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  html: <b>&</b>\n  é: 1\n  z: 2\n";
    const json = (await run(data, "get-resources", ["json"])).output as Resource[];
    expect(json[0]!.ResourceBody).toBe(
      '{"apiVersion":"v1","data":{"html":"\\u003cb\\u003e\\u0026\\u003c/b\\u003e","z":2,"é":1},"kind":"ConfigMap","metadata":{"name":"a"}}',
    );

    const infinite = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  limit: .inf\n";
    const result = await run(infinite, "get-resources", ["json"]);
    expect(result.success).toBe(false);
    expect(result.errorMessages).toEqual([
      "resource /a: value Infinity at data.limit cannot be written as JSON",
    ]);
  });

  it("rejects an unknown body format with the enum message (formats are case-sensitive)", async () => {
    const result = await run(UNIT, "get-resources", ["YAML"]);
    expect(result.success).toBe(false);
    expect(result.errorMessages).toEqual([
      "value YAML for argument body is not one of: yaml, none, json, native",
    ]);
  });

  it("reports a document without a name instead of guessing", async () => {
    const result = await run("apiVersion: v1\nkind: ConfigMap\ndata: {}\n", "get-resources");
    expect(result.success).toBe(false);
    expect(result.errorMessages[0]).toMatch(
      /resource name is missing: v1\/ConfigMap has no string metadata.name/,
    );
  });

  it("returns an empty list for data without resources", async () => {
    const result = await run("# nothing here\n", "get-resources");
    expect(result.success).toBe(true);
    expect(result.output).toEqual([]);
  });

  it("matches the conformance golden semantically", async () => {
    const output = (await run(conformanceTestData("deployment.yaml"), "get-resources")).output as Resource[];
    expect(output).toHaveLength(1);
    expect(plainDocuments(output[0]!.ResourceBody!)).toEqual(
      plainDocuments(conformanceTestData("deployment.yaml")),
    );
  });
});

describe("get-resources-of-type", () => {
  it("lists the resources of exactly that type, scoped and cluster-scoped", async () => {
    const maps = (await run(UNIT, "get-resources-of-type", ["v1/ConfigMap"])).output as ResourceInfo[];
    expect(maps).toEqual([
      {
        ResourceName: "prod/settings",
        ResourceNameWithoutScope: "settings",
        ResourceType: "v1/ConfigMap",
        ResourceCategory: "Resource",
      },
      {
        ResourceName: "staging/settings",
        ResourceNameWithoutScope: "settings",
        ResourceType: "v1/ConfigMap",
        ResourceCategory: "Resource",
      },
    ]);
    const namespaces = (await run(UNIT, "get-resources-of-type", ["v1/Namespace"])).output as ResourceInfo[];
    expect(namespaces.map((r) => r.ResourceName)).toEqual(["/prod"]);
  });

  it("compares the whole type: no kind-only or prefix matches", async () => {
    for (const type of ["ConfigMap", "v1/Config", "apps/v1/ConfigMap", "*"]) {
      const result = await run(UNIT, "get-resources-of-type", [type]);
      expect(result.success).toBe(true);
      expect(result.output).toEqual([]);
    }
  });

  it("needs the resource type", async () => {
    const result = await run(UNIT, "get-resources-of-type");
    expect(result.success).toBe(false);
    expect(result.errorMessages).toEqual([
      "insufficient arguments: got 0, expected 1: resource-type (required)",
    ]);
  });
});

describe("delete-resource", () => {
  it("removes the named resource and only it, keeping comments elsewhere", async () => {
    const result = await run(UNIT, "delete-resource", ["apps/v1/Deployment", "prod/web"]);
    expect(result.success).toBe(true);
    expect(result.mutators).toEqual([0]);
    expect(plainDocuments(result.configData).map((d) => (d as { kind: string }).kind)).toEqual([
      "ConfigMap",
      "Namespace",
      "ConfigMap",
    ]);
    expect(result.configData).toContain("  mode: fast # the default\n");
    const deleted = result.mutations.find((m) => m.Resource.ResourceName === "prod/web");
    expect(deleted?.ResourceMutationInfo.MutationType).toBe("Delete");
  });

  it("accepts the name with or without its scope and removes the last match", async () => {
    // Both ConfigMaps are named settings; without a scope the last one goes.
    const result = await run(UNIT, "delete-resource", ["v1/ConfigMap", "settings"]);
    expect(result.success).toBe(true);
    const names = (plainDocuments(result.configData) as { metadata: { namespace?: string } }[]).map(
      (d) => d.metadata.namespace,
    );
    expect(names).toEqual(["prod", "prod", undefined]);

    const scoped = await run(UNIT, "delete-resource", ["v1/ConfigMap", "other/settings"]);
    expect(plainDocuments(scoped.configData)).toHaveLength(3);
  });

  it("deletes cluster-scoped resources by bare or /-prefixed name", async () => {
    for (const name of ["prod", "/prod"]) {
      const result = await run(UNIT, "delete-resource", ["v1/Namespace", name]);
      expect(result.success).toBe(true);
      expect(result.configData).not.toContain("kind: Namespace");
    }
  });

  it("fails on a missing resource and leaves the data alone", async () => {
    const result = await run(UNIT, "delete-resource", ["apps/v1/Deployment", "prod/api"]);
    expect(result.success).toBe(false);
    expect(result.errorMessages).toEqual([
      "resource with type apps/v1/Deployment and name prod/api not found",
    ]);
    expectUnchanged(result, UNIT);
  });

  it("is not idempotent: deleting twice fails the second time", async () => {
    const result = await execute({
      registry,
      configData: UNIT,
      invocations: [0, 1].map(() => ({
        FunctionName: "delete-resource",
        Arguments: [{ Value: "v1/Namespace" }, { Value: "prod" }],
      })),
    });
    expect(result.errorMessages).toEqual(["resource with type v1/Namespace and name prod not found"]);
    expect(result.mutators).toEqual([0]);
    expect(registry.lookup("Kubernetes/YAML", "delete-resource")?.signature.Idempotent).toBe(false);
  });

  it("names the document that has no identity", async () => {
    const data =
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\nkind: Secret\nmetadata:\n  name: b\n";
    const result = await run(data, "delete-resource", ["v1/ConfigMap", "a"]);
    expect(result.success).toBe(false);
    expect(result.errorMessages[0]).toMatch(
      /^failed to search for resource to delete: resource type is missing: no string apiVersion \(document 1, line \d+\)$/,
    );
    expectUnchanged(result, data);
  });

  it("matches the conformance golden semantically", async () => {
    const input = conformanceTestData("all-in-one-resolved.yaml");
    const result = await run(input, "delete-resource", ["v1/ConfigMap", "foobar/myconfig"]);
    expect(result.success).toBe(true);
    const golden = conformanceGolden("delete-resource.txt");
    const goldenData = golden.slice(golden.indexOf("---------\n") + 10);
    expect(plainDocuments(result.configData)).toEqual(plainDocuments(goldenData));
  });
});

function resourceList(resources: Partial<Resource>[]): string {
  return JSON.stringify(resources);
}

const SERVICE =
  "apiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  namespace: prod\nspec:\n  type: ClusterIP\n";

describe("upsert-resource", () => {
  it("appends a resource that is not there yet, after a separator", async () => {
    const list = resourceList([
      { ResourceName: "prod/api", ResourceType: "v1/Service", ResourceBody: SERVICE },
    ]);
    const result = await run(UNIT, "upsert-resource", [list, "v1/Service", "prod/api"]);
    expect(result.success).toBe(true);
    expect(result.configData).toBe(`${UNIT}---\n${SERVICE}`);
    expect(result.mutations.at(-1)?.ResourceMutationInfo.MutationType).toBe("Add");
  });

  it("replaces the last matching resource, keeping its separator and the comments before it", async () => {
    const body =
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: staging\ndata:\n  mode: turbo\n";
    const list = resourceList([
      { ResourceName: "staging/settings", ResourceType: "v1/ConfigMap", ResourceBody: body },
    ]);
    const result = await run(UNIT, "upsert-resource", [list, "v1/ConfigMap", "settings"]);
    expect(result.success).toBe(true);
    const docs = plainDocuments(result.configData) as { data?: { mode: string } }[];
    expect(docs.map((d) => d.data?.mode)).toEqual(["fast", undefined, undefined, "turbo"]);
    expect(result.configData.startsWith("# shared settings\n")).toBe(true);
    expect(result.configData).toContain("  mode: fast # the default\n");
  });

  it("picks the first list entry with that type and name, ignoring scopes", async () => {
    const other = SERVICE.replace("ClusterIP", "NodePort");
    const list = resourceList([
      {
        ResourceName: "prod/web",
        ResourceType: "v1/Service",
        ResourceBody: SERVICE.replace("name: api", "name: web"),
      },
      { ResourceName: "elsewhere/api", ResourceType: "v1/Service", ResourceBody: SERVICE },
      { ResourceName: "prod/api", ResourceType: "v1/Service", ResourceBody: other },
    ]);
    const result = await run(UNIT, "upsert-resource", [list, "v1/Service", "api"]);
    expect(result.success).toBe(true);
    expect(result.configData.endsWith(SERVICE)).toBe(true);
  });

  it("is idempotent", async () => {
    const list = resourceList([
      { ResourceName: "prod/api", ResourceType: "v1/Service", ResourceBody: SERVICE },
    ]);
    const once = await run(UNIT, "upsert-resource", [list, "v1/Service", "prod/api"]);
    const twice = await run(once.configData, "upsert-resource", [list, "v1/Service", "prod/api"]);
    expectUnchanged(twice, once.configData);
  });

  it("reports each kind of bad resource list with the argument it came from", async () => {
    const cases: [string, string][] = [
      ["not json", "failed to unmarshal resource-list argument: "],
      [
        '{"ResourceType":"v1/Service"}',
        "failed to unmarshal resource-list argument: expected a JSON array of resources, got object",
      ],
      ["[1]", "failed to unmarshal resource-list argument: item 0 is number, expected an object"],
      [
        '[{"ResourceType":3}]',
        "failed to unmarshal resource-list argument: item 0: ResourceType is number, expected a string",
      ],
      ["[]", "resource-list cannot be empty"],
      ["null", "resource-list cannot be empty"],
      [
        resourceList([{ ResourceName: "prod/web", ResourceType: "v1/Service", ResourceBody: SERVICE }]),
        "resource with type v1/Service and name prod/api not found in resource-list",
      ],
    ];
    for (const [list, message] of cases) {
      const result = await run(UNIT, "upsert-resource", [list, "v1/Service", "prod/api"]);
      expect(result.success).toBe(false);
      expect(result.errorMessages[0]!.startsWith(message)).toBe(true);
      expectUnchanged(result, UNIT);
    }
  });

  it("rejects a body that is not exactly the listed resource", async () => {
    const cases: [string | undefined, RegExp][] = [
      [undefined, /^failed to parse resource body: expected exactly one resource document, found 0$/],
      ["a: [1, 2\n", /^failed to parse resource body: invalid YAML: .* at line 2, column 1/],
      [
        `${SERVICE}---\n${SERVICE}`,
        /^failed to parse resource body: expected exactly one resource document, found 2$/,
      ],
      [
        "kind: Service\nmetadata:\n  name: api\n",
        /^failed to parse resource body: resource type is missing: no string apiVersion/,
      ],
      [
        SERVICE.replace("kind: Service", "kind: ConfigMap"),
        /^failed to parse resource body: the body is v1\/ConfigMap prod\/api, not v1\/Service prod\/api$/,
      ],
    ];
    for (const [body, message] of cases) {
      const entry: Partial<Resource> = { ResourceName: "prod/api", ResourceType: "v1/Service" };
      if (body !== undefined) entry.ResourceBody = body;
      const result = await run(UNIT, "upsert-resource", [resourceList([entry]), "v1/Service", "prod/api"]);
      expect(result.success).toBe(false);
      expect(result.errorMessages[0]).toMatch(message);
      expectUnchanged(result, UNIT);
    }
  });

  it("takes the output of get-resources, as in the conformance case", async () => {
    const service = await run(conformanceTestData("service.yaml"), "get-resources");
    const list = JSON.stringify(service.output);
    const input = conformanceTestData("deployment.yaml");
    const result = await run(input, "upsert-resource", [list, "v1/Service", "/my-service"]);
    expect(result.success).toBe(true);
    const golden = conformanceGolden("upsert-resource.txt");
    const goldenData = golden.slice(golden.indexOf("---------\n") + 10);
    expect(plainDocuments(result.configData)).toEqual(plainDocuments(goldenData));
    expect(result.configData.startsWith(input)).toBe(true);
  });
});

const WORKLOADS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: prod
spec:
  template:
    spec:
      serviceAccountName: confighubplaceholder
      initContainers:
        - name: init
          envFrom:
            - configMapRef:
                name: confighubplaceholder # filled by set-references-of-type
      containers:
        - name: main
          envFrom:
            - configMapRef:
                name: old-settings
            - secretRef:
                name: creds
        - name: sidecar
          env:
            - name: MODE
              valueFrom:
                configMapKeyRef:
                  name: confighubplaceholder
                  key: mode
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
    - port: 80
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: readers
  namespace: prod
subjects:
  - kind: ServiceAccount
    name: robot
    namespace: confighubplaceholder
  - kind: User
    name: alice
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: reader
---
apiVersion: v1
kind: Namespace
metadata:
  name: prod
`;

describe("set-references-of-type", () => {
  it("sets every registered reference to that type, in all containers and init containers", async () => {
    const result = await run(WORKLOADS, "set-references-of-type", ["v1/ConfigMap", "settings"]);
    expect(result.success).toBe(true);
    const deployment = plainDocuments(result.configData)[0] as {
      spec: {
        template: {
          spec: Record<string, { envFrom?: { configMapRef?: { name: string } }[]; env?: unknown[] }[]>;
        };
      };
    };
    const podSpec = deployment.spec.template.spec;
    expect(podSpec.initContainers![0]!.envFrom![0]!.configMapRef!.name).toBe("settings");
    expect(podSpec.containers![0]!.envFrom![0]!.configMapRef!.name).toBe("settings");
    expect(result.configData).toContain("name: settings # filled by set-references-of-type\n");
    expect(result.configData).toContain("                  name: settings\n                  key: mode\n");
    // Other kinds of references are left alone.
    expect(result.configData).toContain("name: creds\n");
    expect(result.configData).toContain("serviceAccountName: confighubplaceholder\n");
  });

  it("changes nothing when no reference to that type exists", async () => {
    for (const type of ["v1/PersistentVolumeClaim", "example.com/v1/Widget"]) {
      const result = await run(WORKLOADS, "set-references-of-type", [type, "x"]);
      expect(result.success).toBe(true);
      expectUnchanged(result, WORKLOADS);
    }
  });

  it("sets namespace references, giving namespaced resources without one a namespace (design §9)", async () => {
    const result = await run(WORKLOADS, "set-references-of-type", ["v1/Namespace", "staging"]);
    expect(result.success).toBe(true);
    const [deployment, service, binding, clusterRole, namespace] = plainDocuments(result.configData) as {
      metadata: { name: string; namespace?: string };
      subjects?: { namespace?: string }[];
    }[];
    expect(deployment!.metadata.namespace).toBe("staging");
    expect(service!.metadata.namespace).toBe("staging");
    expect(binding!.metadata.namespace).toBe("staging");
    // Subjects that have a namespace get the new one; a User subject has none and gets none.
    expect(binding!.subjects!.map((s) => s.namespace)).toEqual(["staging", undefined]);
    // Cluster-scoped resources never get a namespace, and a Namespace is not renamed.
    expect(clusterRole!.metadata).toEqual({ name: "reader" });
    expect(namespace!.metadata).toEqual({ name: "prod" });
  });

  it("reports values of the wrong type and changes nothing", async () => {
    const data = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  serviceAccountName: 5\n";
    const result = await run(data, "set-references-of-type", ["v1/ServiceAccount", "robot"]);
    expect(result.success).toBe(false);
    expect(result.errorMessages[0]).toMatch(
      /^value 5 at path spec.serviceAccountName of v1\/Pod p cannot be converted to string$/,
    );
    expectUnchanged(result, data);
  });

  it("needs both arguments", async () => {
    const result = await run(WORKLOADS, "set-references-of-type", ["v1/ConfigMap"]);
    expect(result.success).toBe(false);
    expect(result.errorMessages).toEqual([
      "insufficient arguments: got 1, expected 2: resource-type (required), resource-name (required)",
    ]);
  });
});

describe("replicate", () => {
  const names = (text: string) =>
    (plainDocuments(text) as { metadata: { name: string } }[]).map((d) => d.metadata.name);

  it("replaces the resource with numbered copies in its place", async () => {
    const result = await run(UNIT, "replicate", ["apps/v1/Deployment", "web", "3"]);
    expect(result.success).toBe(true);
    expect(names(result.configData)).toEqual(["settings", "web0", "web1", "web2", "prod", "settings"]);
    const copies = plainDocuments(result.configData).slice(1, 4) as {
      metadata: { namespace: string };
      spec: unknown;
    }[];
    expect(copies.every((c) => c.metadata.namespace === "prod")).toBe(true);
    expect(copies.every((c) => JSON.stringify(c.spec) === '{"replicas":2}')).toBe(true);
    // Documents around the copies keep their bytes.
    expect(result.configData.startsWith("# shared settings\n")).toBe(true);
    expect(result.configData).toContain("  mode: fast # the default\n");
  });

  it("renames a single copy and deletes the resource for 0", async () => {
    const one = await run(UNIT, "replicate", ["v1/Namespace", "prod", "1"]);
    expect(names(one.configData)).toEqual(["settings", "web", "prod0", "settings"]);
    const none = await run(UNIT, "replicate", ["apps/v1/Deployment", "web", "0"]);
    expect(names(none.configData)).toEqual(["settings", "prod", "settings"]);
  });

  it("replicates only the first match, by category, type and unscoped name", async () => {
    const result = await run(UNIT, "replicate", ["v1/ConfigMap", "settings", "2"]);
    expect(names(result.configData)).toEqual(["settings0", "settings1", "web", "prod", "settings"]);

    for (const args of [
      ["v1/ConfigMap", "prod/settings", "2"],
      ["v1/ConfigMap", "settings", "2", "AppConfig"],
      ["apps/v1/Deployment", "api", "2"],
    ]) {
      const untouched = await run(UNIT, "replicate", args);
      expect(untouched.success).toBe(true);
      expectUnchanged(untouched, UNIT);
    }
  });

  it("rejects a negative or excessive count (ConfigHub crashes on a negative one)", async () => {
    for (const [count, message] of [
      ["-1", "argument replicas value -1 is out of range: must be from 0 to 1000"],
      ["1001", "argument replicas value 1001 is out of range: must be from 0 to 1000"],
      ["two", "cannot convert argument replicas value two to int"],
    ]) {
      const result = await run(UNIT, "replicate", ["apps/v1/Deployment", "web", count!]);
      expect(result.success).toBe(false);
      expect(result.errorMessages[0]!.startsWith(message!)).toBe(true);
      expectUnchanged(result, UNIT);
    }
  });

  it("refuses to grow the data past the size limit", async () => {
    const big = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: ${"x".repeat(20_000)}\n`;
    const result = await run(big, "replicate", ["v1/ConfigMap", "big", "1000"]);
    expect(result.success).toBe(false);
    expect(result.errorMessages[0]).toMatch(
      /^replicating v1\/ConfigMap big 1000 times would make the configuration data \d+ bytes, more than the limit of 16777216$/,
    );
    expectUnchanged(result, big);
  });
});
