// where_data semantics beyond the conformance table: existential per-resource matching, missing
// paths, type mismatches as non-matches (design §9), quantities (design §9), IN over scalars,
// resource_type, the matched resources, and the errors a bad expression gives.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/index.ts";
import { FilterError, FilterErrorCode } from "../../src/filter/errors.ts";
import { evaluateWhereData, prepareWhereData } from "../../src/filter/where-data/index.ts";
import { expectUnderCpuMs } from "../support/cpu-bound.ts";

const C = "spec.template.spec.containers";

const units = parseConfig(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: prod
  labels:
    tier: backend
spec:
  replicas: 3
  ratio: 1.5
  paused: false
  template:
    spec:
      containers:
        - name: app
          image: nginx:1.25
          ports:
            - containerPort: 8080
          resources:
            limits:
              memory: 1Gi
              cpu: 500m
            requests:
              cpu: 2
        - name: sidecar
          image: envoy:1.30
          resources:
            limits:
              memory: 128Mi
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: prod
spec:
  ports:
    - port: 80
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
        - name: worker
          image: worker:2
`);

function matches(expression: string, resourceType = "apps/v1/Deployment"): string[] {
  return evaluateWhereData(expression, units, { resourceType }).resources.map((r) => r.name);
}

function rejection(expression: string): FilterError {
  try {
    prepareWhereData(expression);
  } catch (error) {
    if (error instanceof FilterError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(expression)} to be rejected`);
}

describe("where_data evaluation", () => {
  it("returns the matching resources, in document order", () => {
    expect(matches("spec.replicas >= 1")).toEqual(["prod/web", "prod/worker"]);
    expect(matches("spec.replicas > 1")).toEqual(["prod/web"]);
    expect(evaluateWhereData("spec.replicas > 5", units, { resourceType: "apps/v1/Deployment" })).toEqual({
      matched: false,
      resources: [],
    });
  });

  it("visits only the given type, or every resource with *", () => {
    expect(matches("metadata.name = 'web'")).toEqual(["prod/web"]);
    expect(matches("metadata.name = 'web'", "v1/Service")).toEqual(["prod/web"]);
    expect(matches("metadata.name = 'web'", "*")).toEqual(["prod/web", "prod/web"]);
    expect(matches("metadata.name = 'web'", "apps/v1/StatefulSet")).toEqual([]);
  });

  it("matches existentially and per resource, not per element", () => {
    expect(matches(`${C}.*.image != 'nginx:1.25'`)).toEqual(["prod/web", "prod/worker"]);
    // Two different containers of one resource satisfy the two relations.
    expect(matches(`${C}.*.image = 'nginx:1.25' AND ${C}.*.name = 'sidecar'`)).toEqual(["prod/web"]);
  });

  it("never matches a missing path, even with != or NOT IN", () => {
    expect(matches("spec.missing != 'x'")).toEqual([]);
    expect(matches("spec.missing NOT IN ('x')")).toEqual([]);
    expect(matches("metadata.labels.tier != 'frontend'")).toEqual(["prod/web"]);
  });

  it("matches a missing right side of a split path only with !=", () => {
    expect(matches(`${C}.*.|securityContext.runAsNonRoot != true`)).toEqual(["prod/web", "prod/worker"]);
    expect(matches(`${C}.*.|securityContext.runAsNonRoot NOT IN ('true')`)).toEqual([]);
    expect(matches(`${C}.*.|securityContext.runAsNonRoot = false`)).toEqual([]);
    // The left side must exist.
    expect(matches("spec.nothing.*.|image != 'x'")).toEqual([]);
    expect(matches(`${C}.*.|name IN ('sidecar', 'worker')`)).toEqual(["prod/web", "prod/worker"]);
  });

  it("treats a value of another type than the literal as no match (design §9)", () => {
    expect(matches("spec.replicas = '3'")).toEqual([]);
    expect(matches("spec.replicas != '3'")).toEqual([]);
    expect(matches("spec.paused = 'false'")).toEqual([]);
    expect(matches("spec.ratio > 1")).toEqual([]);
    expect(matches("metadata.labels = 'x'")).toEqual([]);
    expect(matches(`${C}.0.image > 1`)).toEqual([]);
    expect(matches("spec.replicas LIKE '3'")).toEqual([]);
  });

  it("compares IN by the value's text, for strings, integers and booleans", () => {
    expect(matches("spec.replicas IN (3, 4)")).toEqual(["prod/web"]);
    expect(matches("spec.replicas NOT IN (3)")).toEqual(["prod/worker"]);
    expect(matches("spec.paused IN ('false')")).toEqual(["prod/web"]);
    expect(matches("spec.ratio IN ('1')")).toEqual(["prod/web"]);
    expect(matches(`${C}.*.ports.*.containerPort IN ('8080')`)).toEqual(["prod/web"]);
  });

  it("compares Kubernetes quantities by value under resources.(requests|limits) (design §9)", () => {
    expect(matches(`${C}.*.resources.limits.memory > '256Mi'`)).toEqual(["prod/web"]);
    expect(matches(`${C}.0.resources.limits.memory = '1024Mi'`)).toEqual(["prod/web"]);
    expect(matches(`${C}.1.resources.limits.memory < '0.5Gi'`)).toEqual(["prod/web"]);
    expect(matches(`${C}.0.resources.limits.cpu < 1`)).toEqual(["prod/web"]);
    expect(matches(`${C}.0.resources.limits.cpu = '0.5'`)).toEqual(["prod/web"]);
    expect(matches(`${C}.0.resources.requests.cpu > '1500m'`)).toEqual(["prod/web"]);
    // Elsewhere a string compares as a string: '1Gi' < '256Mi' byte-wise.
    expect(matches("metadata.labels.tier > 'a'")).toEqual(["prod/web"]);
  });

  it("applies LIKE without escapes and regexes as unanchored RE2 searches", () => {
    expect(matches(`${C}.*.image LIKE 'nginx:%'`)).toEqual(["prod/web"]);
    expect(matches(`${C}.*.image ILIKE 'NGINX:1._5'`)).toEqual(["prod/web"]);
    expect(matches(`${C}.*.image NOT LIKE 'nginx:%'`)).toEqual(["prod/web", "prod/worker"]);
    expect(matches(`${C}.*.image ~ ':2$'`)).toEqual(["prod/worker"]);
    expect(matches(`${C}.*.image !~* '^(NGINX|ENVOY)'`)).toEqual(["prod/worker"]);
  });

  it("reads #uri and #reference of images", () => {
    expect(matches(`${C}.*.image#uri = 'envoy'`)).toEqual(["prod/web"]);
    expect(matches(`${C}.*.image#reference IN (':2')`)).toEqual(["prod/worker"]);
  });

  it("intersects relations per resource (type and name), not per resource name", () => {
    // The Deployment prod/web has replicas, the Service prod/web has a port 80: no single resource has both.
    expect(matches("spec.replicas = 3 AND spec.ports.0.port = 80", "*")).toEqual([]);
    expect(matches("spec.ports.0.port = 80", "*")).toEqual(["prod/web"]);
  });

  it("ends an associative segment at the end of a path before the operator (design §9)", () => {
    // The path selects the container map, which no string equals: parsed, and no match.
    expect(matches(`${C}.?name=app != 'x'`)).toEqual([]);
    expect(matches(`${C}.?name=app.image = 'nginx:1.25'`)).toEqual(["prod/web"]);
  });

  it("accepts quoted list items holding commas and parentheses, and quotes, backslashes in strings", () => {
    expect(matches("metadata.name IN ('a,b', 'x)', web)")).toEqual(["prod/web"]);
    expect(matches("metadata.name != 'it''s \\ \"quoted\"'")).toEqual(["prod/web", "prod/worker"]);
  });

  it("accepts ConfigHub's loose joining: no AND, or a trailing AND", () => {
    expect(matches("spec.replicas > 1 metadata.name = 'web'")).toEqual(["prod/web"]);
    expect(matches("spec.replicas > 0 AND")).toEqual(["prod/web", "prod/worker"]);
  });

  it("runs a catastrophic regex in linear time (under 100 ms)", () => {
    const data = parseConfig(`apiVersion: v1
kind: ConfigMap
metadata:
  name: bomb
data:
  value: ${"a".repeat(50)}!
`);
    const result = expectUnderCpuMs(
      () => evaluateWhereData("data.value ~ '(a+)+$'", data, { resourceType: "v1/ConfigMap" }),
      100,
    );
    expect(result.matched).toBe(false);
  });
});

describe("where_data errors", () => {
  it.each([
    [
      "spec.replicas > ",
      FilterErrorCode.Syntax,
      "where_data: unexpected end of expression at column 17 (expected integer, true, false or string literal)",
    ],
    [
      "spec.replicas and 1",
      FilterErrorCode.Syntax,
      "where_data: unexpected 'and' at column 15 (expected IN or NOT IN or operator; keywords are upper case: AND)",
    ],
    [
      "spec.paused < true",
      FilterErrorCode.OperatorType,
      "where_data: invalid boolean operator '<' at column 13 (true and false take = and !=)",
    ],
    [
      "spec.paused LIKE true",
      FilterErrorCode.OperatorType,
      "where_data: invalid boolean operator 'LIKE' at column 18 (true and false take = and !=)",
    ],
    [
      "spec.replicas ~ 3",
      FilterErrorCode.LiteralType,
      "where_data: '~' needs a string pattern, not 3 at column 17 (write the pattern in single quotes)",
    ],
    [
      "x ~ '(a'",
      FilterErrorCode.InvalidRegex,
      "where_data: invalid regular expression '(a' at column 5 (missing closing ))",
    ],
    [
      "x ~ '(a)\\1'",
      FilterErrorCode.InvalidRegex,
      "where_data: invalid regular expression '(a)\\1' at column 5 (invalid escape sequence at '\\1')",
    ],
    [
      "x IN ()",
      FilterErrorCode.Syntax,
      "where_data: empty IN list at column 6 (name at least one value, as in ('a', 'b'))",
    ],
    [
      "x = 'abc",
      FilterErrorCode.UnterminatedString,
      "where_data: unterminated string literal 'abc at column 5 (end it with a single quote; write a quote inside a string as '')",
    ],
    [
      "x = 1234567890123456",
      FilterErrorCode.IntegerRange,
      "where_data: integer out of range 1234567890123456 at column 5 (integers have at most 15 digits)",
    ],
    [
      "image#tag = 'x'",
      FilterErrorCode.InvalidPath,
      "where_data: unknown accessor '#tag' in path 'image#tag' at column 1 (known accessors are #uri, #reference, #subdomain and #domain)",
    ],
  ] as const)("%s", (expression, code, message) => {
    const error = rejection(expression);
    expect(error.message).toBe(message);
    expect(error.code).toBe(code);
  });

  it("says OR is not supported, although OR reads as a path", () => {
    expect(rejection("x = 1 OR y = 2").message).toBe(
      "where_data: unexpected 'y' at column 10 (expected IN or NOT IN or operator; only AND can join conditions)",
    );
  });

  it("reports path syntax from the shared path grammar", () => {
    const error = rejection("= 'x'");
    expect(error.code).toBe(FilterErrorCode.InvalidPath);
    expect(error.message).toMatch(/^where_data: missing path at column 1 \(.+\)$/);
  });
});
