// Every where-filter conformance case of spec/functions.md §2.7 as a table test. Rows 28-32 are
// fctl goldens over conformance/confighub-fctl/test-data/deployment.yaml (G).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/index.ts";
import { evaluateWhereData } from "../../src/filter/where-data/index.ts";

const C = "spec.template.spec.containers";

const configMap = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: example
data:
  key: value
`;

function deployment(options: {
  name?: string;
  annotations?: string;
  replicas?: number;
  containers: string;
}): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${options.name ?? "example-deployment"}
  namespace: example${options.annotations ?? ""}
spec:
  replicas: ${options.replicas ?? 1}
  template:
    spec:
      containers:
${options.containers}`;
}

/** D1: a ConfigMap, and a Deployment with replicas 3 and example-container = nginx:1.14.2. */
const D1 = `${configMap}---
${deployment({ replicas: 3, containers: "        - name: example-container\n          image: nginx:1.14.2\n" })}`;

/** D2: a Deployment with containers otel-sidecar and main. */
const D2 = deployment({
  containers:
    "        - name: otel-sidecar\n          image: otel/opentelemetry-collector:latest-amd64\n" +
    "        - name: main\n          image: nginx:1.14.2\n",
});

/** D3: D1 plus the annotation confighub.com/key: mydep. */
const D3 = `${configMap}---
${deployment({
  replicas: 3,
  annotations: "\n  annotations:\n    confighub.com/key: mydep",
  containers: "        - name: example-container\n          image: nginx:1.14.2\n",
})}`;

const secure = "          securityContext:\n            runAsNonRoot: true\n";
/** S1: two Deployments; the first has one container with runAsNonRoot: true and one without securityContext. */
const S1 = `${deployment({
  name: "first",
  containers: `        - name: a\n          image: a:1\n${secure}        - name: b\n          image: b:1\n`,
})}---
${deployment({ name: "second", containers: "        - name: c\n          image: c:1\n" })}`;

/** S2: one Deployment with one container lacking securityContext and one with runAsNonRoot: true. */
const S2 = deployment({
  containers: `        - name: a\n          image: a:1\n        - name: b\n          image: b:1\n${secure}`,
});

const G = readFileSync(
  new URL("../../../shared/conformance/confighub-fctl/test-data/deployment.yaml", import.meta.url),
  "utf8",
);

const DATA = { D1, D2, D3, S1, S2, G } as const;

const cases: [row: string, expression: string, data: keyof typeof DATA, expected: boolean][] = [
  ["1", "spec.replicas > 1", "D1", true],
  ["2", `${C}.1.image='nginx:1.14.2'`, "D2", true],
  ["3", `${C}.*.image='nginx:1.14.2'`, "D2", true],
  ["4", `${C}.*?name:container-name.image='nginx:1.14.2'`, "D2", true],
  ["5", `${C}.?name=main.image='nginx:1.14.2'`, "D2", true],
  ["6", `${C}.?name:container-name=main.image='nginx:1.14.2'`, "D2", true],
  ["7", `${C}.?name=main.image#uri='nginx'`, "D2", true],
  ["8", `${C}.?name=main.image#reference=':1.14.2'`, "D2", true],
  ["9", `${C}.*.image#reference=':1.14.2'`, "D2", true],
  ["10", `${C}.1.image LIKE 'nginx:%'`, "D2", true],
  ["11", `${C}.1.image ILIKE 'Nginx:%'`, "D2", true],
  ["12", `${C}.1.image ~~ 'nginx:%'`, "D2", true],
  ["13", `${C}.1.image ~ 'nginx:.*'`, "D2", true],
  ["14", `${C}.1.image ~* 'Nginx:.*'`, "D2", true],
  ["15", `${C}.0.image !~~ 'nginx:%'`, "D2", true],
  ["16", `${C}.0.image !~ 'nginx:.*'`, "D2", true],
  ["17", `${C}.0.image !~* 'Nginx:.*'`, "D2", true],
  ["18", `${C}.1.image IN ('nginx:1.14.1', 'nginx:1.14.2')`, "D2", true],
  ["19", `${C}.1.image NOT IN ('nginx:latest')`, "D2", true],
  ["20", "metadata.annotations.confighub~1com/key='mydep'", "D3", true],
  ["21", "metadata.annotations.@confighub~1com/key:annotation-key='mydep'", "D3", true],
  ["23", `${C}.*.|securityContext.runAsNonRoot = true`, "S1", true],
  ["24", `${C}.*.|securityContext.runAsNonRoot != true`, "S1", true],
  ["25", `${C}.*.|securityContext.runAsNonRoot = false`, "S1", false],
  ["26", `${C}.*.|securityContext.runAsNonRoot != true`, "S2", true],
  ["27", `${C}.*.|securityContext.runAsNonRoot = false`, "S2", false],
  ["28", "spec.paused = false", "G", true],
  ["29", "spec.paused = true", "G", false],
  ["30", "spec.replicas > 2", "G", true],
  ["31", "spec.replicas < 3", "G", false],
  ["32", `${C}.*.|securityContext.runAsNonRoot != true`, "G", true],
];

describe("where_data: spec §2.7 conformance cases", () => {
  it.each(cases)("row %s: %s on %s -> %s", (_row, expression, data, expected) => {
    const result = evaluateWhereData(expression, parseConfig(DATA[data]), {
      resourceType: "apps/v1/Deployment",
    });
    expect(result.matched).toBe(expected);
  });

  it("row 22: a blank expression matches when a resource has exactly the type", () => {
    expect(evaluateWhereData("", parseConfig(configMap), { resourceType: "v1/ConfigMap" }).matched).toBe(
      true,
    );
    expect(
      evaluateWhereData("  ", parseConfig(configMap), { resourceType: "apps/v1/Deployment" }).matched,
    ).toBe(false);
    // `*` is compared literally there.
    expect(evaluateWhereData("", parseConfig(configMap), { resourceType: "*" }).matched).toBe(false);
  });
});
