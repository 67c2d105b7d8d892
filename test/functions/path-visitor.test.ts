// The path-visitor machinery (functions/path-visitor): registry lookups, `%s` filling, Info with
// bindings, visiting in getter and upsert mode, typed reads and writes, AttributeValue shape and order.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseConfig, parsePath } from "../../src/config/index.ts";
import { FunctionError } from "../../src/engine/errors.ts";
import type { AttributeDetails, AttributeValue } from "../../src/engine/types.ts";
import {
  attributeValue,
  collectAttributes,
  detailsWithBindings,
  escapePathArgument,
  fillPathTemplate,
  generalPathTargets,
  kubernetesPathRegistry,
  readAttribute,
  registeredPaths,
  registeredResourceTypes,
  registryKey,
  registryTargets,
  sortAttributeValues,
  updateAttributes,
  visitPaths,
  type PathRegistryData,
  type RegisteredPath,
} from "../../functions/path-visitor/index.ts";

const entry = (path: string, extra: Partial<RegisteredPath> = {}): RegisteredPath => ({
  Path: path,
  AttributeName: "thing",
  DataType: "string",
  ...extra,
});

const REGISTRY: PathRegistryData = {
  thing: {
    "*": {
      "metadata.namespace": entry("metadata.namespace", { TypeExceptions: { "v1/Namespace": {} } }),
      "metadata.name": entry("metadata.name"),
    },
    "v1/Service": {
      "metadata.name": entry("metadata.name", { AttributeName: "service-name" }),
      "spec.ports.*.name": entry("spec.ports.*?port:port.name"),
    },
  },
};

describe("registry lookups", () => {
  it("combine a type's own entries with the * entries it is not excepted from, its own key winning", () => {
    expect(registeredPaths(REGISTRY, "thing", "v1/Service").map((e) => [e.Path, e.AttributeName])).toEqual([
      ["metadata.name", "service-name"],
      ["spec.ports.*?port:port.name", "thing"],
      ["metadata.namespace", "thing"],
    ]);
    expect(registeredPaths(REGISTRY, "thing", "v1/Namespace").map((e) => e.Path)).toEqual(["metadata.name"]);
    expect(registeredPaths(REGISTRY, "unknown", "v1/Service")).toEqual([]);
    expect(registeredResourceTypes(REGISTRY, "thing")).toEqual(["*", "v1/Service"]);
  });

  it("key paths the way the registry does: patterns and indices become *, dots stay escaped, accessors stay", () => {
    const key = (path: string) => registryKey(parsePath(path));
    expect(key("spec.template.spec.containers.?name=main.image#uri")).toBe(
      "spec.template.spec.containers.*.image#uri",
    );
    expect(key("spec.template.spec.containers.3.image")).toBe("spec.template.spec.containers.*.image");
    expect(key("metadata.labels.app~1kubernetes~1io/name")).toBe("metadata.labels.app~1kubernetes~1io/name");
    expect(key("metadata.annotations.@%s:annotation-key")).toBe("metadata.annotations.*");
  });

  it("find every General entry of the vendored Kubernetes registry under its own key", () => {
    for (const [type, entries] of Object.entries(kubernetesPathRegistry["attribute-value"]!)) {
      for (const [key, registered] of Object.entries(entries)) {
        expect(registryKey(parsePath(registered.Path)), type).toBe(key);
      }
    }
  });
});

describe("%s filling", () => {
  it("escapes each argument into exactly one segment and keeps * a wildcard", () => {
    expect(fillPathTemplate("metadata.labels.@%s:label-key", ["app.kubernetes.io/name"])).toBe(
      "metadata.labels.@app~1kubernetes~1io/name:label-key",
    );
    expect(fillPathTemplate("c.?name:container-name=%s.image", ["*"])).toBe("c.?name:container-name=*.image");
    expect(escapePathArgument("a:b")).toBe('"a:b"');
    expect(escapePathArgument("~2")).toBe("~02");
  });

  it("rejects a wrong number of arguments", () => {
    expect(() => fillPathTemplate("a.%s.b.%s", ["x"])).toThrow(
      "registered path a.%s.b.%s has 2 %s hole(s) but 1 argument(s) were given",
    );
  });

  it("reads any argument back as the bound key or matched value it was given as", () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => s !== "*"),
        (argument) => {
          const bound = parsePath(fillPathTemplate("metadata.labels.@%s:label-key", [argument])).segments[2];
          expect(bound).toEqual({ kind: "BoundKeySegment", key: argument, parameter: "label-key" });
          const match = parsePath(fillPathTemplate("c.?name:n=%s.image", [argument])).segments[1];
          expect(match).toEqual({ kind: "MatchSegment", field: "name", parameter: "n", value: argument });
        },
      ),
    );
  });
});

describe("detailsWithBindings", () => {
  const info: AttributeDetails = {
    GetterInvocation: { FunctionName: "get-x", Arguments: null },
    SetterInvocations: [{ FunctionName: "set-x", Arguments: [{ ParameterName: "kind", Value: "a" }] }],
    Description: "An x.",
  };

  it("appends bindings after the registered arguments, in new objects", () => {
    const details = detailsWithBindings(info, [
      { ParameterName: "container-name", Value: "main" },
      { Value: "u" },
    ]);
    expect(details).toEqual({
      GetterInvocation: {
        FunctionName: "get-x",
        Arguments: [{ ParameterName: "container-name", Value: "main" }, { Value: "u" }],
      },
      SetterInvocations: [
        {
          FunctionName: "set-x",
          Arguments: [
            { ParameterName: "kind", Value: "a" },
            { ParameterName: "container-name", Value: "main" },
            { Value: "u" },
          ],
        },
      ],
      Description: "An x.",
    });
    expect(info.SetterInvocations![0]!.Arguments).toHaveLength(1);
    expect(details!.SetterInvocations![0]).not.toBe(info.SetterInvocations![0]);
  });

  it("keeps null arguments without bindings, and no Info stays no Info", () => {
    expect(detailsWithBindings(info, [])!.GetterInvocation).toEqual({
      FunctionName: "get-x",
      Arguments: null,
    });
    expect(detailsWithBindings(undefined, [{ Value: "x" }])).toBeUndefined();
  });
});

describe("AttributeValue", () => {
  const identity = { type: "v1/Service", name: "ns/web", nameWithoutScope: "web", category: "Resource" };

  it("has ConfigHub's key order and leaves empty optional fields out", () => {
    const value = attributeValue({ identity, path: "spec.type", dataType: "string", value: "ClusterIP" });
    expect(Object.keys(value)).toEqual([
      "ResourceName",
      "ResourceNameWithoutScope",
      "ResourceType",
      "ResourceCategory",
      "Path",
      "DataType",
      "Value",
    ]);
    const full = attributeValue({
      identity,
      path: "p",
      attributeName: "a",
      dataType: "int",
      info: { Description: "d" },
      value: 1,
      comment: "# c",
      inLiveState: true,
    });
    expect(Object.keys(full)).toEqual([
      "ResourceName",
      "ResourceNameWithoutScope",
      "ResourceType",
      "ResourceCategory",
      "Path",
      "InLiveState",
      "AttributeName",
      "DataType",
      "Info",
      "Value",
      "Comment",
    ]);
  });

  it("sorts by type, then name, then path (code units)", () => {
    const make = (ResourceType: string, ResourceName: string, Path: string) =>
      ({ ResourceType, ResourceName, Path }) as AttributeValue;
    const sorted = sortAttributeValues([
      make("v1/Service", "a", "x"),
      make("apps/v1/Deployment", "b", "spec.b"),
      make("apps/v1/Deployment", "b", "spec.a"),
      make("apps/v1/Deployment", "a", "z"),
    ]);
    expect(sorted.map((v) => `${v.ResourceType} ${v.ResourceName} ${v.Path}`)).toEqual([
      "apps/v1/Deployment a z",
      "apps/v1/Deployment b spec.a",
      "apps/v1/Deployment b spec.b",
      "v1/Service a x",
    ]);
  });
});

const UNIT = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
    - port: 80
      name: http
    - port: 443
  ratio: 1.5
  empty:
---
apiVersion: v1
kind: Namespace
metadata:
  name: team
`;

describe("visiting", () => {
  it("visits existing locations with bindings in getter mode", () => {
    const data = parseConfig(UNIT);
    const visits = visitPaths(data, registryTargets(REGISTRY, "thing"));
    expect(visits.map((v) => [v.identity.name, v.resolved.path, v.info, v.node?.value])).toEqual([
      ["/web", "metadata.name", undefined, "web"],
      ["/web", "spec.ports.0.name", undefined, "http"],
      ["/team", "metadata.name", undefined, "team"],
    ]);
    expect(visits[1]!.resolved.bindings).toEqual([{ ParameterName: "port", Value: "80" }]);
  });

  it("visits missing plain tails in upsert mode, with no node", () => {
    const data = parseConfig(UNIT);
    const visits = visitPaths(data, registryTargets(REGISTRY, "thing", { upsert: true }));
    const missing = visits.filter((v) => v.node === undefined).map((v) => [v.identity.name, v.resolved.path]);
    // The Namespace is excepted from metadata.namespace; the second port has no name yet.
    expect(missing).toEqual([
      ["/web", "spec.ports.1.name"],
      ["/web", "metadata.namespace"],
    ]);
  });

  it("names every document that has no type or name", () => {
    const data = parseConfig("kind: A\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: B\n");
    try {
      visitPaths(data, registryTargets(REGISTRY, "thing"));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(FunctionError);
      const lines = (error as Error).message.split("\n");
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^error in resource\/element 0: /);
      expect(lines[1]).toMatch(/^error in resource\/element 1: /);
    }
  });

  it("reads floats and nulls as unsupported types", () => {
    const data = parseConfig(UNIT);
    const [ratio] = visitPaths(data, generalPathTargets(REGISTRY, "v1/Service", "spec.ratio"));
    expect(() => readAttribute(ratio!, "any")).toThrow(
      "type float not supported at path spec.ratio of v1/Service web",
    );
    const [empty] = visitPaths(data, generalPathTargets(REGISTRY, "v1/Service", "spec.empty"));
    expect(() => readAttribute(empty!, "string")).toThrow(
      "type null not supported at path spec.empty of v1/Service web",
    );
  });

  it("collects with an optional filter and writes over null values", () => {
    const data = parseConfig(UNIT);
    const names = collectAttributes(data, registryTargets(REGISTRY, "thing"), {
      expected: "string",
      filter: (reading) => reading.value !== "http",
    });
    expect(names.map((n) => n.Value)).toEqual(["team", "web"]);
    expect(updateAttributes(data, generalPathTargets(REGISTRY, "v1/Service", "spec.empty"), "now set")).toBe(
      1,
    );
    expect(data.toString()).toContain("  empty: now set\n");
  });

  it("takes a per-location value and skips locations where it is undefined", () => {
    const data = parseConfig(UNIT);
    const changed = updateAttributes(data, registryTargets(REGISTRY, "thing"), (visit) =>
      visit.identity.type === "v1/Namespace" ? undefined : `${String(visit.node?.value)}-x`,
    );
    expect(changed).toBe(2);
    expect(data.toString()).toContain("  name: web-x\n");
    expect(data.toString()).toContain("      name: http-x\n");
    expect(data.toString()).toContain("  name: team\n");
  });
});
