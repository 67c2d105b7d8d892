// Hostname getters and setters (spec §5.3) through the executor: Ingress rule hosts and the Service
// external-dns annotation, whole or by #subdomain / #domain.
import { describe, expect, it } from "vitest";
import { functionRunner } from "../support/function-runs.ts";
import type { AttributeValue, ExecutionResult } from "../../src/engine/index.ts";

const run = functionRunner();

function values(result: ExecutionResult): [string, string, unknown][] {
  expect(result.errorMessages).toEqual([]);
  return (result.output as AttributeValue[]).map((a) => [a.ResourceType, a.Path, a.Value]);
}

const UNIT = `apiVersion: v1
kind: Service
metadata:
  name: web
  annotations:
    external-dns.alpha.kubernetes.io/hostname: www.example.com # public name
spec: {}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
    - host: www.example.com
    - host: api.internal.example.com
    - http: {}
---
apiVersion: v1
kind: Service
metadata:
  name: no-dns
spec: {}
`;

describe("get-hostname", () => {
  it("reads Ingress rule hosts and the external-dns annotation, skipping rules without a host", async () => {
    const result = await run(UNIT, "get-hostname");
    expect(values(result)).toEqual([
      ["networking.k8s.io/v1/Ingress", "spec.rules.0.host", "www.example.com"],
      ["networking.k8s.io/v1/Ingress", "spec.rules.1.host", "api.internal.example.com"],
      ["v1/Service", "metadata.annotations.external-dns~1alpha~1kubernetes~1io/hostname", "www.example.com"],
    ]);
    const service = (result.output as AttributeValue[])[2]!;
    expect(service.AttributeName).toBe("hostname");
    expect(service.Comment).toBe("# public name");
  });
});

describe("get-hostname-subdomain and get-hostname-domain", () => {
  it("split a hostname after its first label", async () => {
    expect(values(await run(UNIT, "get-hostname-subdomain")).map(([, path, value]) => [path, value])).toEqual(
      [
        ["spec.rules.0.host#subdomain", "www"],
        ["spec.rules.1.host#subdomain", "api"],
        ["metadata.annotations.external-dns~1alpha~1kubernetes~1io/hostname#subdomain", "www"],
      ],
    );
    expect(values(await run(UNIT, "get-hostname-domain")).map(([, , value]) => value)).toEqual([
      "example.com",
      "internal.example.com",
      "example.com",
    ]);
  });

  it("read an empty part from a host that is not subdomain.domain", async () => {
    const input =
      "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: x\nspec:\n  rules:\n    - host: localhost\n";
    expect(values(await run(input, "get-hostname-domain"))).toEqual([
      ["networking.k8s.io/v1/Ingress", "spec.rules.0.host#domain", ""],
    ]);
  });
});

describe("set-hostname", () => {
  it("sets every host, keeping comments, and creates no host where there is none", async () => {
    const result = await run(UNIT, "set-hostname", ["shop.example.org"]);
    expect(result.configData).toBe(
      UNIT.replace("hostname: www.example.com # public name", "hostname: shop.example.org # public name")
        .replace("host: www.example.com", "host: shop.example.org")
        .replace("host: api.internal.example.com", "host: shop.example.org"),
    );
  });

  it("rejects a hostname with one label or uppercase letters", async () => {
    for (const bad of ["localhost", "WWW.example.com"]) {
      const result = await run(UNIT, "set-hostname", [bad]);
      expect(result.success).toBe(false);
      expect(result.errorMessages[0]).toMatch(
        new RegExp(
          `^value ${bad} for argument hostname is not valid: expected a hostname with at least two labels`,
        ),
      );
      expect(result.configData).toBe(UNIT);
    }
  });
});

describe("set-hostname-subdomain and set-hostname-domain", () => {
  it("replace one part of each host", async () => {
    const subdomain = await run(UNIT, "set-hostname-subdomain", ["shop"]);
    expect(values(await run(subdomain.configData, "get-hostname")).map(([, , value]) => value)).toEqual([
      "shop.example.com",
      "shop.internal.example.com",
      "shop.example.com",
    ]);
    const domain = await run(UNIT, "set-hostname-domain", ["example.org"]);
    expect(values(await run(domain.configData, "get-hostname")).map(([, , value]) => value)).toEqual([
      "www.example.org",
      "api.example.org",
      "www.example.org",
    ]);
  });

  it("fail on a host that has no such part and leave the data unchanged", async () => {
    const input =
      "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: x\nspec:\n  rules:\n    - host: localhost\n";
    const result = await run(input, "set-hostname-domain", ["example.org"]);
    expect(result.success).toBe(false);
    expect(result.errorMessages).toEqual([
      'embedded field domain not found at path spec.rules.0.host (networking.k8s.io/v1/Ingress x): the value "localhost" has no domain part to replace',
    ]);
    expect(result.configData).toBe(input);
  });

  it("reject a subdomain with a dot", async () => {
    const result = await run(UNIT, "set-hostname-subdomain", ["a.b"]);
    expect(result.errorMessages[0]).toMatch(
      /^value a\.b for argument subdomain is not valid: expected one DNS label/,
    );
  });
});
