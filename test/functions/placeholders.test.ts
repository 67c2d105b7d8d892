import { describe, expect, it } from "vitest";
import { renderGenerationTemplate } from "../../functions/generic/names/generation-template.ts";
import { normalizeName } from "../../functions/generic/names/normalize-name.ts";
import { standardFunctions } from "../../functions/index.ts";
import { parsePath } from "../../src/config/index.ts";
import { FunctionRegistry, execute } from "../../src/engine/index.ts";
import type { AttributeValue, ExecutionResult, ValidationResult } from "../../src/engine/index.ts";
import { conformanceGolden, conformanceTestData, plainDocuments } from "../support/function-runs.ts";

const registry = FunctionRegistry.from(standardFunctions);

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
    const hosts = (plainDocuments(result.configData) as { data: { host: string } }[]).map((d) => d.data.host);
    expect(hosts).toEqual(["a.prod.svc", "b.prod.svc", "fixed"]);
  });

  it("keeps a replaced value a string even when it looks like another type", async () => {
    const data =
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  port: port-x\n  on: flag-x\n";
    const result = await run(data, "search-replace", ["port-x", "8080"]);
    const replaced = await run(result.configData, "search-replace", ["flag-x", "true"]);
    expect(plainDocuments(replaced.configData)[0]).toMatchObject({ data: { port: "8080", on: "true" } });
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
      "insufficient arguments: got 1, expected 2: search-value (required), replace-value (required)",
    ]);
  });

  it("matches the conformance golden", async () => {
    const input = conformanceTestData("deployment-sample.yaml");
    const result = await run(input, "search-replace", ["confighubplaceholder", "replaceme"]);
    const golden = conformanceGolden("search-replace.txt");
    expect(plainDocuments(result.configData)).toEqual(
      plainDocuments(golden.slice(golden.indexOf("---------\n") + 10)),
    );
  });
});

const TEMPLATE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: confighubplaceholder # set by set-default-names
  namespace: confighubplaceholder
  labels:
    app: replaceme
    app.kubernetes.io/name: confighubplaceholder
    tier: confighubplaceholder
spec:
  selector:
    matchLabels:
      app: confighubplaceholder
  template:
    metadata:
      labels:
        app: fixed
    spec:
      serviceAccountName: confighubplaceholder
      containers:
        - name: main
          image: confighubplaceholder:1.0
          envFrom:
            - secretRef:
                name: creds
        - name: sidecar
          image: ghcr.io/example/sidecar:2
      initContainers:
        - name: init
          image: confighubplaceholder
---
apiVersion: batch/v1
kind: Job
metadata:
  name: confighubplaceholder-migrate
  labels:
    app: confighubplaceholder
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  labels:
    app: confighubplaceholder
`;

const CONTEXT = { UnitSlug: "checkout_Service", SpaceSlug: "Prod EU" };

describe("set-default-names", () => {
  it("replaces whole placeholder values of registered default names with <unit>-<space>", async () => {
    const result = await run(TEMPLATE, "set-default-names", [], CONTEXT);
    expect(result.success).toBe(true);
    const [deployment, job, configMap] = plainDocuments(result.configData) as {
      metadata: { name: string; namespace?: string; labels: Record<string, string> };
      spec?: {
        selector?: { matchLabels: Record<string, string> };
        template?: { metadata: { labels: Record<string, string> } };
      };
    }[];
    expect(deployment!.metadata.name).toBe("checkout-service-prod-eu");
    expect(deployment!.metadata.labels).toEqual({
      app: "checkout-service-prod-eu",
      "app.kubernetes.io/name": "checkout-service-prod-eu",
      tier: "confighubplaceholder", // not a registered default name
    });
    expect(deployment!.spec!.selector!.matchLabels.app).toBe("checkout-service-prod-eu");
    expect(deployment!.spec!.template!.metadata.labels.app).toBe("fixed"); // no placeholder: kept
    expect(deployment!.metadata.namespace).toBe("confighubplaceholder"); // a reference, not a name
    // The whole value is replaced, not only the placeholder part.
    expect(job!.metadata.name).toBe("checkout-service-prod-eu");
    // App labels are defaulted only on workload types that carry selectors; every name is.
    expect(job!.metadata.labels.app).toBe("confighubplaceholder");
    expect(configMap!.metadata).toEqual({ name: "settings", labels: { app: "confighubplaceholder" } });
    expect(result.configData).toContain("  name: checkout-service-prod-eu # set by set-default-names\n");
  });

  it("transliterates and slugifies the slugs like ConfigHub", async () => {
    const result = await run(TEMPLATE, "set-default-names", [], {
      UnitSlug: "Crème--Brûlée",
      SpaceSlug: "北京",
    });
    expect((plainDocuments(result.configData)[0] as { metadata: { name: string } }).metadata.name).toBe(
      "creme-brulee-bei-jing",
    );
  });

  it("matches the conformance golden's naming (Unit MyDeployment in Space DeepSpace)", async () => {
    const input = conformanceTestData("deployment-sample.yaml");
    const result = await run(input, "set-default-names", [], {
      UnitSlug: "mydeployment",
      SpaceSlug: "DeepSpace",
    });
    const golden = conformanceGolden("set-default-names.txt");
    expect(plainDocuments(result.configData)).toEqual(
      plainDocuments(golden.slice(golden.indexOf("---------\n") + 10)),
    );
  });

  it("changes nothing when no default name holds a placeholder", async () => {
    const data =
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  labels:\n    app: confighubplaceholder\n";
    const result = await run(data, "set-default-names", [], CONTEXT);
    expect(result.success).toBe(true);
    expectUnchanged(result, data);
  });

  it("leaves default-name values that are not strings alone: they hold no placeholder", async () => {
    const data =
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: confighubplaceholder\n  labels:\n    app: 5\n";
    const result = await run(data, "set-default-names", [], CONTEXT);
    expect(result.success).toBe(true);
    expect(result.configData).toBe(
      data.replace("name: confighubplaceholder", "name: checkout-service-prod-eu"),
    );
  });

  it("refuses to generate a name from a slug without letters or digits", async () => {
    const result = await run(TEMPLATE, "set-default-names", [], { UnitSlug: "--", SpaceSlug: "prod" });
    expect(result.success).toBe(false);
    expect(result.errorMessages[0]).toBe(
      'cannot generate a default name for path metadata.labels.app of apps/v1/Deployment confighubplaceholder/confighubplaceholder: the Unit slug "--" has no letters or digits',
    );
    expectUnchanged(result, TEMPLATE);
  });
});

describe("get-needed", () => {
  it("lists registered references that hold the placeholder, with the setters that fill them", async () => {
    const result = await run(TEMPLATE, "get-needed");
    expect(result.success).toBe(true);
    const needed = result.output as AttributeValue[];
    expect(needed.map((v) => `${v.ResourceType} ${v.Path}=${String(v.Value)}`)).toEqual([
      "apps/v1/Deployment metadata.namespace=confighubplaceholder",
      "apps/v1/Deployment spec.template.spec.containers.0.image#uri=confighubplaceholder",
      "apps/v1/Deployment spec.template.spec.initContainers.0.image#uri=confighubplaceholder",
      "apps/v1/Deployment spec.template.spec.serviceAccountName=confighubplaceholder",
    ]);
    expect(needed[0]!.Info).toEqual({
      SetterInvocations: [
        {
          FunctionName: "set-references-of-type",
          Arguments: [{ ParameterName: "resource-type", Value: "v1/Namespace" }],
        },
      ],
    });
    // The container's name is bound into the setter, ready to invoke with the value appended.
    expect(needed[2]!.Info!.SetterInvocations).toEqual([
      { FunctionName: "set-image-uri", Arguments: [{ ParameterName: "container-name", Value: "init" }] },
    ]);
  });

  it("leaves out filled values and resources whose type has no needed paths", async () => {
    const data = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: prod\n";
    expect((await run(data, "get-needed")).output).toEqual([]);
  });

  it("feeds set-references-of-type: filling the namespace leaves it no longer needed", async () => {
    const filled = await run(TEMPLATE, "set-references-of-type", ["v1/Namespace", "shop"]);
    const needed = (await run(filled.configData, "get-needed")).output as AttributeValue[];
    expect(needed.map((v) => v.Path)).not.toContain("metadata.namespace");
  });
});

describe("get-provided", () => {
  it("lists the names of provided resource types with the getter that reads them", async () => {
    const result = await run(TEMPLATE, "get-provided");
    expect(result.success).toBe(true);
    const provided = result.output as AttributeValue[];
    expect(provided.map((v) => `${v.ResourceType} ${v.ResourceName} ${String(v.Value)}`)).toEqual([
      "apps/v1/Deployment confighubplaceholder/confighubplaceholder confighubplaceholder",
      "v1/ConfigMap /settings settings",
    ]);
    expect(provided[1]!.Info).toEqual({
      GetterInvocation: {
        FunctionName: "get-resources-of-type",
        Arguments: [{ ParameterName: "resource-type", Value: "v1/ConfigMap" }],
      },
    });
  });
});

describe("default-name generation", () => {
  const fields = {
    NormalizedUnitName: "shop",
    NormalizedSpaceName: "prod",
    NormalizedResourceName: "prod-web",
    TrimmedResourceName: "web",
    NormalizedResourceType: "apps-v1-deployment",
  };

  it("normalises slugs to DNS label fragments", () => {
    expect(normalizeName("MyDeployment")).toBe("mydeployment");
    expect(normalizeName("my_unit  name")).toBe("my-unit-name");
    expect(normalizeName("-a.b/c-")).toBe("a-b-c");
    expect(normalizeName("")).toBe("");
  });

  it("renders field substitutions and reports anything else with the template and location", () => {
    expect(renderGenerationTemplate("{{.TrimmedResourceName}}-{{ .NormalizedSpaceName }}", fields, "x")).toBe(
      "web-prod",
    );
    expect(() => renderGenerationTemplate("{{.Unknown}}", fields, "path a of T n")).toThrow(
      'name generation template "{{.Unknown}}" for path a of T n: {{.Unknown}} is not supported (use {{.Field}} with one of NormalizedUnitName, NormalizedSpaceName, NormalizedResourceName, TrimmedResourceName, NormalizedResourceType)',
    );
    expect(() => renderGenerationTemplate("{{toUpper .NormalizedUnitName}}", fields, "x")).toThrow(
      /is not supported/,
    );
  });
});

describe("get-needed-namespaces", () => {
  const data = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: confighubplaceholder
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
  - kind: ServiceAccount
    name: other
    namespace: team-a
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: admins
subjects:
  - kind: ServiceAccount
    name: robot
    namespace: ns-confighubplaceholder
---
apiVersion: v1
kind: Namespace
metadata:
  name: confighubplaceholder
---
apiVersion: v1
kind: Service
metadata:
  name: api
`;

  it("lists namespace references that hold the placeholder, namespaced and cluster-scoped", async () => {
    const result = await run(data, "get-needed-namespaces");
    expect(result.success).toBe(true);
    const needed = result.output as AttributeValue[];
    expect(needed.map((v) => `${v.ResourceType} ${v.Path}=${String(v.Value)}`)).toEqual([
      "apps/v1/Deployment metadata.namespace=confighubplaceholder",
      "rbac.authorization.k8s.io/v1/ClusterRoleBinding subjects.0.namespace=ns-confighubplaceholder",
      "rbac.authorization.k8s.io/v1/RoleBinding subjects.0.namespace=confighubplaceholder",
    ]);
    // A Namespace's own name is not a reference; a Service without a namespace has nothing to fill.
    expect(needed[0]).toMatchObject({
      AttributeName: "resource-name",
      Info: {
        SetterInvocations: [
          {
            FunctionName: "set-references-of-type",
            Arguments: [{ ParameterName: "resource-type", Value: "v1/Namespace" }],
          },
        ],
      },
    });
  });

  it("is empty once the namespaces are set (through the setter it advertises)", async () => {
    const set = await run(data, "set-references-of-type", ["v1/Namespace", "prod"]);
    const needed = await run(set.configData, "get-needed-namespaces");
    expect(needed.output).toEqual([]);
  });

  it("reports a namespace that is not a string", async () => {
    const bad = "apiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  namespace: 42\n";
    const result = await run(bad, "get-needed-namespaces");
    expect(result.success).toBe(false);
    expect(result.errorMessages).toEqual([
      "value 42 at path metadata.namespace is of type int but expected string (v1/Service api)",
    ]);
  });
});
