// Property tests: edits on generated documents change exactly what they address, and hostile input
// gives a ConfigError, never another exception.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Document, isCollection, isMap, isScalar, parseDocument, visit, type Node } from "yaml";
import { ConfigError, formatSegments, parseConfig, parsePath, type Scalar } from "../../src/config/index.ts";
import { lineChanges } from "./line-diff.ts";

type Value = null | string | number | boolean | Value[] | { [key: string]: Value };
type Path = (string | number)[];

const keys = [
  "a",
  "b",
  "name",
  "x.y",
  "app.kubernetes.io/name",
  "with space",
  "k~1",
  "3",
  "UPPER",
  "é",
  "on",
];
const trickyStrings = [
  "true",
  "3",
  "",
  "a: b",
  "#x",
  "multi\nline",
  "yes",
  "- x",
  "'q'",
  '"dq"',
  "~",
  "null",
  "1.5",
];
const scalarArb: fc.Arbitrary<Value> = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.integer({ min: -1000, max: 1000 }),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(...trickyStrings),
);
const newScalarArb: fc.Arbitrary<Scalar> = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.integer({ min: -1000, max: 1000 }),
  fc.boolean(),
  fc.constantFrom(...trickyStrings),
);
const { map: mapArb } = fc.letrec<{ node: Value; map: Value; seq: Value }>((tie) => ({
  node: fc.oneof({ maxDepth: 3, depthIdentifier: "tree" }, scalarArb, tie("map"), tie("seq")),
  map: fc.dictionary(fc.constantFrom(...keys), tie("node"), { minKeys: 1, maxKeys: 4 }),
  seq: fc.array(tie("node"), { minLength: 1, maxLength: 3 }),
}));

interface Generated {
  text: string;
  value: { [key: string]: Value };
}

const documentArb: fc.Arbitrary<Generated> = fc
  .record({
    value: mapArb as fc.Arbitrary<{ [key: string]: Value }>,
    indent: fc.constantFrom(2, 4),
    indentSeq: fc.boolean(),
    flow: fc.array(fc.boolean(), { minLength: 32, maxLength: 32 }),
    comments: fc.array(fc.boolean(), { minLength: 32, maxLength: 32 }),
    crlf: fc.boolean(),
  })
  .map(({ value, indent, indentSeq, flow, comments, crlf }) => {
    const document = new Document(value);
    let collections = 0;
    let pairs = 0;
    const hasMultiline = (node: Node): boolean => JSON.stringify(node.toJSON()).includes("\\n");
    visit(document, {
      Collection(_key, node, path) {
        // Some nested collections are written in flow style, as hand-written manifests often are.
        if (path.length > 1 && flow[collections++ % 32] && !hasMultiline(node)) node.flow = true;
      },
      Pair(_key, pair, path) {
        const parent = path[path.length - 1];
        const inFlow = path.some((p) => isCollection(p) && p.flow);
        if (!inFlow && isMap(parent) && isScalar(pair.value) && comments[pairs++ % 32])
          pair.value.comment = " note";
      },
    });
    const text = document.toString({ indent, indentSeq, lineWidth: 0 });
    return { text: crlf ? text.replace(/\n/g, "\r\n") : text, value };
  });

function paths(value: Value, prefix: Path = []): { path: Path; leaf: boolean }[] {
  if (value !== null && typeof value === "object") {
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
    return [
      ...(prefix.length > 0 ? [{ path: prefix, leaf: false }] : []),
      ...entries.flatMap(([k, v]) => paths(v, [...prefix, k])),
    ];
  }
  return [{ path: prefix, leaf: true }];
}

function setIn(value: Value, path: Path, replacement: Value): Value {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  const copy = structuredClone(value) as Record<string | number, Value>;
  copy[head!] = setIn(copy[head!] ?? null, rest, replacement);
  return copy as Value;
}

function getIn(value: Value, path: Path): Value {
  return path.reduce<Value>((v, k) => (v as Record<string | number, Value>)[k] ?? null, value);
}

/** The text before the first line and after the last line of the node at `path`. */
function surroundings(text: string, path: Path): { before: string; after: string } {
  const node = parseDocument(text).getIn(path, true) as Node;
  const [start, end] = node.range!;
  const lineStart = text.lastIndexOf("\n", start - 1) + 1;
  const lineEnd = text.indexOf("\n", Math.max(start, end - 1));
  return { before: text.slice(0, lineStart), after: lineEnd < 0 ? "" : text.slice(lineEnd + 1) };
}

function expectOnlyWithin(original: string, edited: string, path: Path) {
  const { before, after } = surroundings(original, path);
  expect(edited.startsWith(before)).toBe(true);
  expect(edited.endsWith(after)).toBe(true);
  expect(edited.length).toBeGreaterThanOrEqual(before.length + after.length);
}

// CONFN_PROPERTY_RUNS raises the number of generated cases for a deeper local run.
const runs = { numRuns: Number(process.env.CONFN_PROPERTY_RUNS ?? 150) };

describe("properties of edits", () => {
  it("set: get returns the new value, every other value is unchanged, only the value's lines change", () => {
    fc.assert(
      fc.property(documentArb, fc.nat(), newScalarArb, ({ text, value }, pick, newValue) => {
        const leaves = paths(value).filter((p) => p.leaf);
        const { path } = leaves[pick % leaves.length]!;
        const set = parseConfig(text);
        const document = set.documents[0]!;
        const where = formatSegments(path);
        document.set(where, newValue);
        expect(document.get(where)?.value).toEqual(newValue);
        const expected = setIn(value, path, newValue);
        expect(document.toJS()).toEqual(expected);
        const output = set.toString();
        expect(parseConfig(output).documents[0]!.toJS()).toEqual(expected);
        expect(set.parsedValues()).toEqual([expected]);
        expectOnlyWithin(text, output, path);
      }),
      runs,
    );
  });

  it("set with upsert: a new key is added and nothing else changes", () => {
    fc.assert(
      fc.property(
        documentArb,
        fc.nat(),
        fc.constantFrom("added", "new.key", "z/z"),
        newScalarArb,
        (generated, pick, key, newValue) => {
          const { text, value } = generated;
          const maps = [{ path: [] as Path }, ...paths(value).filter((p) => !p.leaf)].filter((p) => {
            const target = getIn(value, p.path);
            return (
              target !== null && typeof target === "object" && !Array.isArray(target) && !(key in target)
            );
          });
          fc.pre(maps.length > 0);
          const { path } = maps[pick % maps.length]!;
          const set = parseConfig(text);
          const where = formatSegments([...path, key]);
          expect(set.documents[0]!.set(where, newValue, { upsert: true })).toBe(true);
          const expected = setIn(value, [...path, key], newValue);
          expect(set.documents[0]!.toJS()).toEqual(expected);
          const output = set.toString();
          expect(parseConfig(output).documents[0]!.toJS()).toEqual(expected);
          expect(set.parsedValues()).toEqual([expected]);
          const flowParent =
            path.length > 0 && (parseDocument(text).getIn(path, true) as { flow?: boolean }).flow;
          if (flowParent) expectOnlyWithin(text, output, path);
          else expect(lineChanges(text, output).removed).toEqual([]);
        },
      ),
      runs,
    );
  });

  it("delete: the entry is gone and every other value is unchanged", () => {
    fc.assert(
      fc.property(documentArb, fc.nat(), ({ text, value }, pick) => {
        const all = paths(value);
        const { path } = all[pick % all.length]!;
        fc.pre(path.length > 1 || Object.keys(value).length > 1);
        const set = parseConfig(text);
        expect(set.documents[0]!.delete(formatSegments(path))).toBe(true);
        const parentPath = path.slice(0, -1);
        const parent = structuredClone(getIn(value, parentPath)) as Record<string | number, Value> | Value[];
        if (Array.isArray(parent)) parent.splice(path[path.length - 1] as number, 1);
        else delete parent[path[path.length - 1]!];
        const expected = setIn(value, parentPath, parent as Value);
        expect(set.documents[0]!.toJS()).toEqual(expected);
        expect(parseConfig(set.toString()).documents[0]!.toJS()).toEqual(expected);
        expect(set.parsedValues()).toEqual([expected]);
      }),
      runs,
    );
  });

  it("clone: edits never leak between a set and its clone", () => {
    fc.assert(
      fc.property(documentArb, fc.nat(), newScalarArb, ({ text, value }, pick, newValue) => {
        const leaves = paths(value).filter((p) => p.leaf);
        const { path } = leaves[pick % leaves.length]!;
        const set = parseConfig(text);
        const copy = set.clone();
        copy.documents[0]!.set(formatSegments(path), newValue);
        expect(set.toString()).toBe(text);
        expect(set.documents[0]!.toJS()).toEqual(value);
      }),
      { numRuns: 50 },
    );
  });

  it("round trip: generated documents serialise byte for byte", () => {
    fc.assert(
      fc.property(documentArb, ({ text }) => {
        expect(parseConfig(text).toString()).toBe(text);
      }),
      runs,
    );
  });
});

describe("hostile input", () => {
  const yamlish = fc.string({
    unit: fc.constantFrom(
      ..."abc :-?[]{},#&*!|>'\"%@`\n\t\r ~0123.\\".split(""),
      "---",
      "...",
      "<<",
      "\uFEFF",
    ),
    maxLength: 60,
  });

  it("parseConfig either parses or throws a ConfigError", () => {
    fc.assert(
      fc.property(yamlish, (text) => {
        try {
          const set = parseConfig(text);
          for (const document of set.documents) document.toJS();
          expect(set.toString()).toBe(text);
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("paths either parse or throw a ConfigError, and resolving them never throws anything else", () => {
    const document = parseConfig("a:\n  b: [1, {c: d}]\n  e: {f: g}\n").documents[0]!;
    const pathish = fc.string({ unit: fc.constantFrom(...'ab.*?@|:=#"~012 %'.split("")), maxLength: 20 });
    fc.assert(
      fc.property(pathish, fc.boolean(), (path, upsert) => {
        try {
          parsePath(path);
          for (const resolved of document.resolve(path, { upsert })) document.get(resolved);
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
