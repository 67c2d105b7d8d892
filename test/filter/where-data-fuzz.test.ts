// Fuzzing `where_data`: random strings and mutations of valid expressions either prepare and
// evaluate, or fail with a FilterError (a 400 with a message). No other exception escapes, and no
// parse takes over 50 ms of CPU time (an explicit safety bound of the issue).
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { expectUnderCpuMs } from "../support/cpu-bound.ts";
import { mutate, textEdit } from "../support/text-edits.ts";
import { parseConfig } from "../../src/config/index.ts";
import { FilterError } from "../../src/filter/errors.ts";
import { evaluateWhereData, prepareWhereData } from "../../src/filter/where-data/index.ts";

const C = "spec.template.spec.containers";
const CORPUS = [
  "spec.replicas > 1 AND metadata.name = 'web'",
  `${C}.*.image LIKE 'nginx:%' AND ${C}.?name=main.image#reference = ':1.14.2'`,
  `${C}.*?name:container-name.image ~* '^NGINX' AND ${C}.0.image !~ '(a+)+$'`,
  `${C}.*.|securityContext.runAsNonRoot != true`,
  "metadata.annotations.@confighub~1com/key:annotation-key = 'mydep' spec.paused = false",
  `${C}.*.resources.limits.memory > '256Mi' AND metadata.labels.tier IN ('a', b, 'c''d')`,
  "metadata.name NOT IN ('x') AND spec.replicas <= 3 AND",
];

const TOKENS = [
  "'",
  "''",
  "(",
  ")",
  ",",
  ".",
  ".|",
  "*",
  "*?",
  "*@:",
  "?",
  "=",
  "@",
  ":",
  "#",
  "#uri",
  "~1",
  "~",
  " AND ",
  " OR ",
  " IN ",
  " NOT IN ",
  "!=",
  "\\",
  "%",
  "\n",
  "\u0000",
  "😀",
  '"',
  "-",
  "99999999999999999999",
  "' OR 1=1 --",
];

const edit = textEdit(TOKENS);

const documents = parseConfig(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: prod
  labels:
    tier: backend
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: main
          image: nginx:1.14.2
          resources:
            limits:
              memory: 1Gi
        - name: sidecar
          image: envoy:1.30
`);

function attempt(source: string): string {
  try {
    const prepared = prepareWhereData(source);
    for (const resourceType of ["apps/v1/Deployment", "*"])
      evaluateWhereData(prepared, documents, { resourceType });
    return "ok";
  } catch (error) {
    if (!(error instanceof FilterError)) throw error;
    expect(error.message).toMatch(/^where_data: \S/);
    return error.message;
  }
}

/** `attempt` under 50 ms of CPU time (test/support/cpu-bound.ts). */
function boundedAttempt(source: string): string {
  return expectUnderCpuMs(() => attempt(source), 50);
}

describe("where_data fuzzing", () => {
  beforeAll(() => {
    prepareWhereData("spec.replicas > 0");
  });

  it("every corpus expression is valid to begin with", () => {
    for (const source of CORPUS) expect(boundedAttempt(source)).toBe("ok");
  });

  it("5,000 random strings prepare or fail with a FilterError", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 120, unit: "binary" }),
          fc
            .array(fc.constantFrom(...TOKENS, "spec", "replicas", "1", "'x'"), { maxLength: 20 })
            .map((t) => t.join("")),
        ),
        (source) => {
          boundedAttempt(source);
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it("5,000 mutations of valid expressions prepare or fail with a FilterError", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CORPUS),
        fc.array(edit, { minLength: 1, maxLength: 4 }),
        (source, edits) => {
          boundedAttempt(mutate(source, edits));
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it("parses the longest allowed expression well within the bound", () => {
    const relation = `${C}.*.image = 'nginx:1.14.2' AND `;
    const source = `${relation.repeat(Math.floor(4000 / relation.length))}spec.replicas > 1`;
    expect(boundedAttempt(source)).toBe("ok");
  });

  it("keeps injection attempts literal or rejects them", () => {
    expect(boundedAttempt("metadata.name = ''' OR 1=1 --'")).toBe("ok");
    expect(boundedAttempt("metadata.name = '' OR 1=1 --'")).toMatch(/^where_data: /);
    expect(boundedAttempt("metadata.name = ''; DROP TABLE units; --'")).toMatch(/^where_data: /);
  });
});
