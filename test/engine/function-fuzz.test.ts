// Issue 11 item 7: fuzzed calls used to return JavaScript internals as the error ("loc.indexOf is
// not a function", "Maximum call stack size exceeded"). Every function of the library runs here
// through the engine with random arguments, well-typed with odd content (paths, JSONPath, jq, CEL,
// JSON/YAML of the wrong shape, huge and deeply nested text) and of wrong types and counts, over
// odd config data. Each call must succeed or fail with an EngineError from the function's own checks:
// never a crash (FUNCTION_CRASHED, an exception out of execute) nor a message that reads like an
// engine internal.
import { readFileSync, readdirSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { standardFunctions } from "../../functions/index.ts";
import {
  FunctionRegistry,
  execute,
  type ArgumentValue,
  type FunctionArgument,
} from "../../src/engine/index.ts";

const registry = FunctionRegistry.from(standardFunctions);
const signatures = standardFunctions.map((f) =>
  typeof f.signature === "function" ? f.signature("Kubernetes/YAML") : f.signature,
);

/** Text that only a JavaScript runtime writes: a message with it leaks an internal failure. */
export const JS_INTERNAL =
  /TypeError|RangeError|ReferenceError|is not a function|Cannot read propert|Cannot set propert|call stack|\bundefined\b|is not iterable|\[object Object\]|Invalid array length/;

const CONFORMANCE = new URL("../../../shared/conformance/confighub-fctl/test-data/", import.meta.url);
const DATA = [
  ...readdirSync(CONFORMANCE)
    .filter((name) => name.endsWith(".yaml"))
    .map((name) => readFileSync(new URL(name, CONFORMANCE), "utf8")),
  "",
  "---\n",
  "a: 1\n",
  "- 1\n- 2\n",
  "null\n",
  "kind: Deployment\n",
  "apiVersion: 1\nkind: []\nmetadata: 5\n",
  "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  template:\n    spec:\n      containers: {a: 1}\n",
  [
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata:",
    "  name: [1]",
    "  annotations: 5",
    "  labels: [a]",
    "spec:",
    "  replicas: abc",
    "  template:",
    "    spec:",
    "      containers:",
    "      - 5",
    "      - name: 7",
    "        image: [x]",
    "        env: 3",
    "",
  ].join("\n"),
  "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: {a: b}\ndata: 3\n",
];

const nested = (depth: number, open: string, close: string, inner = "1") =>
  open.repeat(depth) + inner + close.repeat(depth);

const ODD_TEXT = [
  ...["", " ", "a", "*", ".", "..", "a..b", "*.*", "?", "?k=v", "*?name=x", "@:", "*@:x", "#uri"],
  ...["image#reference", "~1", "~", "|", ".|", "a.|b", "spec.replicas", "metadata.labels.a"],
  ...["spec.template.spec.containers.*.image", "[", "{", "}", "]", "null", "true", "123", "-1"],
  ...["1e400", "9999999999999999999", "apps/v1/Deployment", "v1/ConfigMap", "/", "\\", "'", '"'],
  ...["${x}", "{{x}}", "%", "nginx:1", "nginx@sha256:abc", "😀", "{}", "[]", "[1,2]", '[{"a":1}]'],
  ...['{"Resource": 1}', '[{"Resource": 5, "PathMutationMap": 3}]', '[{"Path": "a", "Value": {}}]'],
  ...['[{"Resource": {}, "PathMutationMap": {"a": 5}}]', "a: b", "- a", "r.spec", "1/0", "size(r)"],
  ...["r.spec.replicas > 1", "a\nb", "--- a\n--- b", "metadata.name = 'x'", "$.spec", "$..*", "$["],
  ...[".spec", ".[] |", "A=B", "=", "1Gi", "100m", "$[?(@.name == 'a')]", "$[(@.length-1)]"],
  "x".repeat(100_000),
  nested(10_000, "[", "]"),
  nested(10_000, '{"a":', "}"),
  nested(10_000, "(", ")"),
  nested(3_000, "- ", "", "x"),
  `$${nested(10_000, "[", "]", "0")}`,
  Array(5_000).fill("a").join("."),
];

const TOKENS = [
  ...["$", ".", "..", "[", "]", "(", ")", "[?(", "@", "@.", "*", "'", '"', "==", "!", "&&", ",", ":"],
  ...["-1", "0", "2", "name", "spec", "metadata", "containers", "|", ".|", "#", "#uri", "~1", "~0"],
  ...["{", "}", "- ", "\n", "  ", "a", "=", "true", "null", "'x'", "\\", "`", "/", "^", "+", "?name="],
  ...["@:", "*?", "*@:", "Resource", "PathMutationMap", "Path", "Value", "[{", "}]", '{"', '":'],
  ...["r.", "size(", "has(", ".[]", "select(", "%", "_", "AND", "''", "1e999", "&"],
];

const tokenText = fc
  .array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 12 })
  .map((t) => t.join(""));
const jsonShapes = fc
  .letrec((tie) => ({
    value: fc.oneof(
      { depthSize: "small" },
      fc.jsonValue({ maxDepth: 2 }),
      fc.dictionary(
        fc.constantFrom("Resource", "ResourceName", "ResourceType", "PathMutationMap", "Path", "Value"),
        tie("value"),
        { maxKeys: 4 },
      ),
      fc.array(tie("value"), { maxLength: 3 }),
    ),
  }))
  .value.map((value) => JSON.stringify(value));
const oddText = fc.oneof(
  fc.constantFrom(...ODD_TEXT),
  fc.string({ maxLength: 12 }),
  tokenText,
  tokenText.map((t) => `$${t}`),
  jsonShapes,
);
const oddInt = fc.oneof(fc.constantFrom(0, -1, 1, 3, 2 ** 31, 2 ** 53 - 1, -(2 ** 53)), fc.integer());
const anyValue: fc.Arbitrary<ArgumentValue> = fc.oneof(oddText, oddInt, fc.boolean());

type Signature = (typeof signatures)[number];

/** Arguments of the declared types and count, with odd content. */
function typedArguments(signature: Signature): fc.Arbitrary<FunctionArgument[]> {
  const values = (signature.Parameters ?? []).map((p) => {
    if (p.DataType === "int") return oddInt;
    if (p.DataType === "bool") return fc.boolean();
    if (p.DataType === "enum") return fc.oneof(fc.constantFrom(...(p.EnumValues ?? ["x"])), oddText);
    return oddText;
  });
  return fc.tuple(...values).map((list) => list.map((Value) => ({ Value })));
}

/** Any number of arguments of any type, positional or named (rightly or not). */
function looseArguments(signature: Signature): fc.Arbitrary<FunctionArgument[]> {
  const names = (signature.Parameters ?? []).map((p) => p.ParameterName);
  const argument = fc.record(
    { Value: anyValue, ParameterName: fc.constantFrom(...names, "nope", "") },
    { requiredKeys: ["Value"] },
  );
  return fc.array(argument, { maxLength: names.length + 2 });
}

const call = (typed: boolean) =>
  fc.constantFrom(...signatures).chain((signature) =>
    fc.record({
      functionName: fc.constant(signature.FunctionName),
      args: typed ? typedArguments(signature) : looseArguments(signature),
      data: fc.constantFrom(...DATA),
      cast: fc.boolean(),
    }),
  );

async function check(c: { functionName: string; args: FunctionArgument[]; data: string; cast: boolean }) {
  const result = await execute({
    registry,
    configData: c.data,
    invocations: [{ FunctionName: c.functionName, Arguments: c.args }],
    options: { castStringArgsToScalars: c.cast },
  });
  for (const error of result.errors) {
    const what = `${c.functionName}: ${error.message.slice(0, 300)}`;
    expect(error.code, what).not.toBe("FUNCTION_CRASHED");
    expect(error.message, what).not.toMatch(JS_INTERNAL);
    expect(error.message.trim(), what).not.toBe("");
    expect(error.functionName, what).toBe(c.functionName);
  }
}

describe("every function, fuzzed", () => {
  it("fails well-typed arguments with odd content by its own checks, never with an internal error", async () => {
    await fc.assert(fc.asyncProperty(call(true), check), { numRuns: 2_000 });
  });

  it("refuses arguments of the wrong type or count with a message, never an internal error", async () => {
    await fc.assert(fc.asyncProperty(call(false), check), { numRuns: 1_000 });
  });

  it("reads its own message patterns: an internal error would be caught", () => {
    for (const leaked of [
      "loc.indexOf is not a function",
      "Maximum call stack size exceeded",
      "Cannot read properties of undefined (reading 'x')",
    ]) {
      expect(leaked).toMatch(JS_INTERNAL);
    }
  });
});
