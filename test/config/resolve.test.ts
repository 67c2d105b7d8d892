import { describe, expect, it } from "vitest";
import { parseConfig, type Binding } from "../../src/config/index.ts";

const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
  annotations:
    confighub.com/key: mydep
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: nginx
          image: nginx:1.14.2
          ports:
            - containerPort: 8080
        - name: otel
          image: otel/col:latest
          securityContext:
            runAsNonRoot: true
          ports:
            - containerPort: "4318"
        - image: unnamed:1
`;
const doc = parseConfig(text).documents[0]!;
const c = "spec.template.spec.containers";

type Row = [path: string, paths: string[], bindings?: Binding[][]];

function check(upsert: boolean) {
  return (...[path, paths, bindings]: Row) => {
    const resolved = doc.resolve(path, { upsert });
    expect(resolved.map((r) => r.path)).toEqual(paths);
    if (bindings) expect(resolved.map((r) => r.bindings)).toEqual(bindings);
  };
}

describe("resolve in getter mode", () => {
  it.each<Row>([
    ["spec.replicas", ["spec.replicas"], [[]]],
    ["spec.missing.deep", ["spec.missing.deep"], [[]]],
    [`${c}.1.image`, [`${c}.1.image`]],
    [`${c}.*.image`, [`${c}.0.image`, `${c}.1.image`, `${c}.2.image`], [[], [], []]],
    [
      `${c}.*?name.image`,
      [`${c}.0.image`, `${c}.1.image`, `${c}.2.image`],
      [[{ Value: "nginx" }], [{ Value: "otel" }], []],
    ],
    [
      `${c}.*?name:container-name.image`,
      [`${c}.0.image`, `${c}.1.image`, `${c}.2.image`],
      [
        [{ ParameterName: "container-name", Value: "nginx" }],
        [{ ParameterName: "container-name", Value: "otel" }],
        [],
      ],
    ],
    [
      "metadata.*@:k",
      ["metadata.name", "metadata.labels", "metadata.annotations"],
      [
        [{ ParameterName: "k", Value: "name" }],
        [{ ParameterName: "k", Value: "labels" }],
        [{ ParameterName: "k", Value: "annotations" }],
      ],
    ],
    [`${c}.*@:k.name`, [`${c}.0.name`, `${c}.1.name`], [[], []]],
    [`${c}.?name=otel.image`, [`${c}.1.image`], [[{ Value: "otel" }]]],
    [`${c}.?name:cn=otel.image`, [`${c}.1.image`], [[{ ParameterName: "cn", Value: "otel" }]]],
    [`${c}.?name=absent.image`, []],
    [`${c}.?name=*.image`, [`${c}.0.image`, `${c}.1.image`, `${c}.2.image`]],
    ["spec.?name=x", []],
    // ?k=v matches scalars by their text (design §9), and a quoted "4318" as well.
    [`${c}.0.ports.?containerPort=8080`, [`${c}.0.ports.0`], [[{ Value: "8080" }]]],
    [`${c}.1.ports.?containerPort=4318`, [`${c}.1.ports.0`]],
    [
      "metadata.annotations.@confighub~1com/key:annotation-key",
      ["metadata.annotations.confighub~1com/key"],
      [[{ ParameterName: "annotation-key", Value: "confighub.com/key" }]],
    ],
    ["metadata.annotations.@absent~1key:k", []],
    ["metadata.@labels", ["metadata.labels"], [[]]],
    [`${c}.*.|securityContext`, [`${c}.1.securityContext`]],
    [`${c}.*.|securityContext.runAsNonRoot`, [`${c}.1.securityContext.runAsNonRoot`]],
    [`${c}.*.image#uri`, [`${c}.0.image`, `${c}.1.image`, `${c}.2.image`]],
    ["spec.replicas.*", []],
    ["metadata.name.?x=y", []],
  ])("%s", check(false));

  it("carries the accessor name and typed segments", () => {
    const [first] = doc.resolve(`${c}.?name=nginx.image#reference`);
    expect(first).toEqual({
      path: `${c}.0.image`,
      segments: ["spec", "template", "spec", "containers", 0, "image"],
      bindings: [{ Value: "nginx" }],
      accessor: "reference",
    });
    expect(doc.resolve(`${c}.1.name`)[0]!.segments[4]).toBe(1);
    expect(doc.resolve("spec.missing.0")[0]!.segments).toEqual(["spec", "missing", "0"]);
  });
});

describe("resolve in upsert mode", () => {
  it.each<Row>([
    [`${c}.*.securityContext.runAsNonRoot`, [0, 1, 2].map((i) => `${c}.${i}.securityContext.runAsNonRoot`)],
    [`${c}.?name=nginx.securityContext.runAsNonRoot`, [`${c}.0.securityContext.runAsNonRoot`]],
    // Everything before a |seg must exist: container 0 has no securityContext (golden set-bool-path-upsert-existence).
    [`${c}.0.securityContext.|runAsNonRoot`, []],
    [`${c}.1.securityContext.|runAsNonRoot`, [`${c}.1.securityContext.runAsNonRoot`]],
    [`${c}.0.|securityContext`, [`${c}.0.securityContext`]],
    [`${c}.*.|securityContext.runAsUser`, [0, 1, 2].map((i) => `${c}.${i}.securityContext.runAsUser`)],
    [
      "metadata.annotations.@confighub~1com/x:annotation-key",
      ["metadata.annotations.confighub~1com/x"],
      [[{ ParameterName: "annotation-key", Value: "confighub.com/x" }]],
    ],
    [
      "missing.annotations.@confighub~1com/x:annotation-key",
      ["missing.annotations.confighub~1com/x"],
      [[{ ParameterName: "annotation-key", Value: "confighub.com/x" }]],
    ],
    // ? and * never create: a missing parent of a pattern drops the branch.
    ["missing.*.x", []],
    ["spec.missing.?name=a.x", []],
    [`${c}.?name=absent.image`, []],
    ["spec.replicas", ["spec.replicas"]],
    ["brand.new.path", ["brand.new.path"]],
  ])("%s", check(true));
});

describe("resolve with a constraint", () => {
  it("visits only the constrained child of a wildcard and binds it", () => {
    const resolved = doc.resolve(`${c}.*?name:container-name.image`, { constraint: `${c}.1.image` });
    expect(resolved).toEqual([
      {
        path: `${c}.1.image`,
        segments: ["spec", "template", "spec", "containers", 1, "image"],
        bindings: [{ ParameterName: "container-name", Value: "otel" }],
      },
    ]);
  });

  it("takes the constrained element of ?k=v whenever it has k, whatever the value", () => {
    const resolved = doc.resolve(`${c}.?name:container-name=%s.image`, { constraint: `${c}.0.image` });
    expect(resolved.map((r) => [r.path, r.bindings])).toEqual([
      [`${c}.0.image`, [{ ParameterName: "container-name", Value: "nginx" }]],
    ]);
    expect(doc.resolve(`${c}.?name=x.image`, { constraint: `${c}.2.image` })).toEqual([]);
  });

  it("matches nothing when the constraint differs in a plain segment or in length", () => {
    expect(doc.resolve(`${c}.*.image`, { constraint: `${c}.0.name` })).toEqual([]);
    expect(doc.resolve(`${c}.*.image`, { constraint: `${c}.0` })).toEqual([]);
  });

  it("rejects a constraint with patterns", () => {
    expect(() => doc.resolve(`${c}.*.image`, { constraint: `${c}.*.image` })).toThrow(/constraint/);
  });
});

describe("resolve through aliases and merge keys", () => {
  const merged = parseConfig(`base: &base
  replicas: 2
  labels: {tier: web}
list: &list [a, b]
app:
  <<: *base
  name: x
  items: *list
`).documents[0]!;

  it("sees inherited keys after the map's own keys and follows aliases", () => {
    expect(merged.resolve("app.*").map((r) => r.path)).toEqual([
      "app.name",
      "app.items",
      "app.replicas",
      "app.labels",
    ]);
    expect(merged.resolve("app.items.*").map((r) => r.path)).toEqual(["app.items.0", "app.items.1"]);
    expect(merged.get("app.labels.tier")?.value).toBe("web");
    expect(merged.get("app.items.1")?.value).toBe("b");
  });
});
