// The one path registry (functions/path-visitor): the vendored Kubernetes data against ConfigHub's
// listpaths golden, lookups by resource type and by user path, and `%s` templates.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  countHoles,
  escapePathArgument,
  fillPathTemplate,
  imagePattern,
  hostnamePattern,
  parseConfig,
  parsePath,
  regexpAccessor,
  type ConfigError,
  type ResourceIdentity,
} from "../../src/config/index.ts";
import {
  GENERAL_ATTRIBUTE,
  generalPathTargets,
  kubernetesPathRegistry as registry,
  registeredPaths,
  registryKey,
  type PathRegistryData,
  type PathTarget,
} from "../../functions/path-visitor/index.ts";
import { thrown } from "../support/thrown.ts";

const golden = JSON.parse(
  readFileSync(
    new URL("../../../shared/conformance/confighub-fctl/golden-output/listpaths.txt", import.meta.url),
    "utf8",
  ),
) as PathRegistryData;

/** What get/set-*-path visit for a user path in one resource of `type` (the General registry lookup). */
function lookup(type: string, path: string): PathTarget | undefined {
  const identity: ResourceIdentity = { type, name: "ns/x", nameWithoutScope: "x", category: "Resource" };
  return generalPathTargets(registry, type, path)(identity)[0];
}

const errorOf = (fn: () => unknown) => thrown<ConfigError>(fn);

describe("the Kubernetes registry data", () => {
  it("is the listpaths golden except for the restored ~1 escapes (design §9)", () => {
    const unescape = (text: string) =>
      text
        .replace("app~1kubernetes~1io/name", "app.kubernetes.io/name")
        .replace("external-dns~1alpha~1kubernetes~1io/hostname", "external-dns.alpha.kubernetes.io/hostname");
    const ours = registry;
    const differences: string[] = [];
    expect(Object.keys(ours)).toEqual(Object.keys(golden));
    for (const [attribute, types] of Object.entries(golden)) {
      expect(Object.keys(ours[attribute]!)).toEqual(Object.keys(types));
      for (const [type, entries] of Object.entries(types)) {
        const mine = ours[attribute]![type]!;
        const goldenKeys = Object.keys(entries);
        const myKeys = Object.keys(mine);
        expect(myKeys.length).toBe(goldenKeys.length);
        myKeys.forEach((key, i) => {
          const info = mine[key]!;
          const original = entries[goldenKeys[i]!]!;
          if (key !== goldenKeys[i] || info.Path !== original.Path) {
            // Entries that were already escaped in the golden must not change.
            expect(goldenKeys[i]).toBe(unescape(key));
            expect(original.Path).toBe(unescape(info.Path));
            expect(goldenKeys[i]).not.toContain("~1");
            differences.push(`${attribute} ${type} ${key}`);
          }
          expect({ ...info, Path: unescape(info.Path) }).toEqual({
            ...original,
            Path: unescape(original.Path),
          });
        });
      }
    }
    expect(differences).toHaveLength(16);
  });

  it("files every General entry under the lookup key of its Path", () => {
    for (const entries of Object.values(registry[GENERAL_ATTRIBUTE]!)) {
      for (const [key, info] of Object.entries(entries)) expect(registryKey(parsePath(info.Path))).toBe(key);
    }
  });

  it("parses every registered path once its holes are filled", () => {
    for (const types of Object.values(registry)) {
      for (const entries of Object.values(types)) {
        for (const info of Object.values(entries)) {
          const filled = fillPathTemplate(info.Path, Array(countHoles(info.Path)).fill("x"));
          expect(() => parsePath(filled)).not.toThrow();
        }
      }
    }
  });

  it("registers the spec's image and hostname accessor patterns", () => {
    const patterns = new Set<string>();
    for (const types of Object.values(registry)) {
      for (const entries of Object.values(types)) {
        for (const info of Object.values(entries)) {
          if (info.EmbeddedAccessorConfig) patterns.add(info.EmbeddedAccessorConfig);
        }
      }
    }
    expect([...patterns].sort()).toEqual([hostnamePattern, imagePattern].sort());
  });
});

describe("lookups", () => {
  it("returns the type's own entries, then * entries minus TypeExceptions", () => {
    expect(registeredPaths(registry, "container-image", "apps/v1/Deployment").map((p) => p.Path)).toEqual([
      "spec.template.spec.containers.?name:container-name=%s.image",
      "spec.template.spec.ephemeralContainers.?name:container-name=%s.image",
      "spec.template.spec.initContainers.?name:container-name=%s.image",
    ]);
    expect(registeredPaths(registry, "namespace-name-reference", "v1/ConfigMap").map((p) => p.Path)).toEqual([
      "metadata.namespace",
    ]);
    expect(registeredPaths(registry, "namespace-name-reference", "v1/Namespace")).toEqual([]);
    expect(registeredPaths(registry, "no-such-attribute", "v1/Pod")).toEqual([]);
  });

  it("maps a concrete user path to the registered pattern and uses it as the constraint", () => {
    const match = lookup("apps/v1/Deployment", "spec.template.spec.containers.0.image#uri");
    expect(match?.entry.AttributeName).toBe("container-repository-uri");
    expect(match?.path).toBe("spec.template.spec.containers.*?name:container-name.image#uri");
    expect(match?.constraint).toBe("spec.template.spec.containers.0.image");
    expect(regexpAccessor(match!.entry.EmbeddedAccessorConfig!).get("nginx:1", "uri")).toBe("nginx");
  });

  it("keeps a user path with patterns as the path to resolve", () => {
    const match = lookup("apps/v1/Deployment", "spec.template.spec.containers.?name=main.image");
    expect(match).toMatchObject({ path: "spec.template.spec.containers.?name=main.image" });
    expect(match?.entry.AttributeName).toBe("container-image");
    expect(match?.constraint).toBeUndefined();
  });

  it("finds escaped label keys (the ConfigHub lookup missed them)", () => {
    const match = lookup("apps/v1/Deployment", "metadata.labels.app~1kubernetes~1io/name");
    expect(match?.entry.AttributeName).toBe("app-label");
    const document = parseConfig(
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  labels:\n    app.kubernetes.io/name: web\n",
    ).documents[0]!;
    const [resolved] = document.resolve(match!.path, { constraint: match!.constraint });
    expect(document.get(resolved!)?.value).toBe("web");
  });

  it("resolves a registered getter path with its bindings", () => {
    const [info] = registeredPaths(registry, "container-image", "apps/v1/Deployment");
    const document = parseConfig(
      "spec:\n  template:\n    spec:\n      containers:\n        - name: nginx\n          image: nginx:1\n        - name: app.v2\n          image: app:2\n",
    ).documents[0]!;
    const resolved = document.resolve(fillPathTemplate(info!.Path, ["*"]));
    expect(resolved.map((r) => [r.path, r.bindings])).toEqual([
      ["spec.template.spec.containers.0.image", [{ ParameterName: "container-name", Value: "nginx" }]],
      ["spec.template.spec.containers.1.image", [{ ParameterName: "container-name", Value: "app.v2" }]],
    ]);
    expect(document.resolve(fillPathTemplate(info!.Path, ["app.v2"])).map((r) => r.path)).toEqual([
      "spec.template.spec.containers.1.image",
    ]);
  });

  it("treats unknown paths as plain attribute-value paths and skips * entries of excepted types", () => {
    expect(lookup("v1/ConfigMap", "data.anything")).toMatchObject({
      path: "data.anything",
      entry: { AttributeName: GENERAL_ATTRIBUTE, DataType: "" },
    });
    expect(lookup("v1/Namespace", "metadata.namespace")?.entry.AttributeName).toBe(GENERAL_ATTRIBUTE);
    expect(lookup("v1/ConfigMap", "metadata.namespace")?.entry.AttributeName).toBe("resource-name");
  });

  it("keys a user path by the production rule: only `%s`, indices and patterns become *", () => {
    // A key that merely contains `*`, `?`, `@` or `%` is an ordinary (quoted) key, not a pattern.
    expect(registryKey(parsePath('metadata.annotations."a*b"'))).toBe("metadata.annotations.a*b");
    expect(registryKey(parsePath("metadata.annotations.@%s:annotation-key"))).toBe("metadata.annotations.*");
  });
});

describe("%s templates", () => {
  it.each([
    ["nginx", "nginx"],
    ["*", "*"],
    ["app.kubernetes.io/name", "app~1kubernetes~1io/name"],
    ["a~1", "a~01"],
    ["a:b", '"a:b"'],
    ["x=y", '"x=y"'],
    ['q"uote', '"q\\"uote"'],
    ["?odd", '"?odd"'],
    ["", '""'],
  ])("escapes %j as %s", (argument, text) => {
    expect(escapePathArgument(argument)).toBe(text);
  });

  it("fills holes in order and reads each argument back as one value", () => {
    const filled = fillPathTemplate("c.?name:cn=%s.env.?name:ev=%s.value", ["web.v1", "A:B"]);
    expect(filled).toBe('c.?name:cn=web~1v1.env.?name:ev="A:B".value');
    const segments = parsePath(filled).segments;
    expect(segments[1]).toMatchObject({ kind: "MatchSegment", value: "web.v1" });
    expect(segments[3]).toMatchObject({ kind: "MatchSegment", value: "A:B" });
    expect(parsePath(fillPathTemplate("metadata.annotations.@%s:k", ["x.io/y"])).segments[2]).toMatchObject({
      kind: "BoundKeySegment",
      key: "x.io/y",
    });
  });

  it("rejects a wrong number of arguments", () => {
    const error = errorOf(() => fillPathTemplate("a.%s.b.%s", ["x"]));
    expect(error.code).toBe("REGISTRY");
    expect(error.message).toBe("registered path a.%s.b.%s has 2 %s hole(s) but 1 argument(s) were given");
  });
});
