import { describe, expect, it } from "vitest";
import {
  builtinAccessor,
  hostnameAccessor,
  imageAccessor,
  parseConfig,
  RegexpAccessor,
  type ConfigError,
} from "../../src/config/index.ts";
import { thrown } from "../support/thrown.ts";

const errorOf = (fn: () => unknown) => thrown<ConfigError>(fn);

describe("image accessor (spec §1.3 table)", () => {
  it.each([
    ["nginx:latest", "nginx", ":latest"],
    ["registry:5000/app:v1", "registry:5000/app", ":v1"],
    ["ghcr.io/a/b@sha256:ab", "ghcr.io/a/b", "@sha256:ab"],
    ["nginx", "nginx", ""],
    ["Nginx:1", "", ""],
    ["a:1@sha256:x", "", ""],
    ["otel/opentelemetry-collector:latest-amd64", "otel/opentelemetry-collector", ":latest-amd64"],
  ])("%s -> uri %j, reference %j", (image, uri, reference) => {
    expect(imageAccessor.get(image, "uri")).toBe(uri);
    expect(imageAccessor.get(image, "reference")).toBe(reference);
  });

  it("has no tag, digest, registry or repository groups", () => {
    expect(imageAccessor.fields).toEqual(["uri", "reference"]);
    expect(imageAccessor.get("nginx:1", "tag")).toBe("");
  });

  it("splices a new part into the string", () => {
    expect(imageAccessor.set("nginx:latest", "reference", ":v17.5.2")).toBe("nginx:v17.5.2");
    expect(imageAccessor.set("nginx:latest", "uri", "example.myreg.com/nginx")).toBe(
      "example.myreg.com/nginx:latest",
    );
  });

  it("refuses to create a missing part", () => {
    const error = errorOf(() =>
      imageAccessor.set("nginx", "reference", ":1", "spec.containers.0.image#reference"),
    );
    expect(error.code).toBe("EMBEDDED_FIELD_NOT_FOUND");
    expect(error.message).toBe(
      "embedded field reference not found at path spec.containers.0.image#reference",
    );
  });
});

describe("hostname accessor", () => {
  it.each([
    ["prod.chat.cubby.bz", "prod", "chat.cubby.bz"],
    ["a.b", "a", "b"],
    ["localhost", "", ""],
    ["UPPER.example.com", "", ""],
  ])("%s -> subdomain %j, domain %j", (host, subdomain, domain) => {
    expect(hostnameAccessor.get(host, "subdomain")).toBe(subdomain);
    expect(hostnameAccessor.get(host, "domain")).toBe(domain);
  });

  it("replaces either part", () => {
    expect(hostnameAccessor.set("prod.chat.cubby.bz", "subdomain", "chat")).toBe("chat.chat.cubby.bz");
    expect(hostnameAccessor.set("prod.chat.cubby.bz", "domain", "cubby.bz")).toBe("prod.cubby.bz");
  });
});

describe("accessors in documents", () => {
  const text = `spec:
  rules:
    - host: prod.chat.cubby.bz
  containers:
    - name: nginx
      image: nginx:latest # pinned later
    - name: bare
      image: busybox
  replicas: 3
`;

  it.each([
    ["spec.containers.?name=nginx.image#uri", "nginx"],
    ["spec.containers.0.image#reference", ":latest"],
    ["spec.containers.1.image#reference", ""],
    ["spec.rules.*.host#subdomain", "prod"],
    ["spec.rules.0.host#domain", "chat.cubby.bz"],
  ])("get %s", (path, value) => {
    expect(parseConfig(text).documents[0]!.get(path)).toMatchObject({
      value,
      kind: "scalar",
      type: "string",
    });
  });

  it("set replaces only its part, keeping the line comment", () => {
    const set = parseConfig(text);
    expect(set.documents[0]!.set("spec.containers.?name=nginx.image#reference", ":1.25")).toBe(true);
    expect(set.toString()).toBe(text.replace("nginx:latest #", "nginx:1.25 #"));
  });

  it("set through every match of a wildcard", () => {
    const set = parseConfig(text);
    expect(() => set.documents[0]!.set("spec.containers.*.image#reference", ":2")).toThrow(
      /embedded field reference not found at path spec.containers.1.image#reference/,
    );
    const ok = parseConfig(text);
    ok.documents[0]!.set("spec.containers.*.image#uri", "mirror.io/x");
    expect(ok.documents[0]!.get("spec.containers.1.image")?.value).toBe("mirror.io/x");
    expect(ok.documents[0]!.get("spec.containers.0.image")?.value).toBe("mirror.io/x:latest");
  });

  it("never upserts", () => {
    const set = parseConfig(text);
    expect(set.documents[0]!.set("spec.containers.0.missing#uri", "x", { upsert: true })).toBe(false);
    expect(set.toString()).toBe(text);
  });

  it("uses an accessor given by the caller (e.g. from the registry)", () => {
    const accessor = new RegexpAccessor("^(?P<head>[a-z]+)-(?P<tail>[0-9]+)$");
    const doc = parseConfig("name: web-42\n").documents[0]!;
    expect(doc.get("name#tail", { accessor })?.value).toBe("42");
    doc.set("name#head", "api", { accessor });
    expect(doc.toString()).toBe("name: api-42\n");
  });

  it("rejects unknown accessors and non-string values", () => {
    const doc = parseConfig(text).documents[0]!;
    expect(errorOf(() => doc.get("spec.containers.0.image#tag")).code).toBe("UNKNOWN_ACCESSOR");
    const error = errorOf(() => doc.get("spec.replicas#uri"));
    expect(error.code).toBe("INVALID_VALUE");
    expect(error.message).toBe("the value 3 at path spec.replicas is of type int but #uri expects a string");
    expect(errorOf(() => doc.set("spec.containers.0.image#uri", 5)).code).toBe("INVALID_VALUE");
  });

  it("looks built-in accessors up by name", () => {
    expect(builtinAccessor("uri")).toBe(imageAccessor);
    expect(builtinAccessor("domain")).toBe(hostnameAccessor);
    expect(errorOf(() => builtinAccessor("toString")).code).toBe("UNKNOWN_ACCESSOR");
  });

  it("rejects invalid accessor patterns", () => {
    expect(errorOf(() => new RegexpAccessor("(unclosed")).code).toBe("REGISTRY");
  });

  it("stays linear on hostile input", () => {
    const long = "a" + "-".repeat(50_000) + "!";
    const started = performance.now();
    expect(imageAccessor.get(long, "uri")).toBe("");
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
