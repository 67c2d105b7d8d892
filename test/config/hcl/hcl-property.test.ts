// Property tests: on generated HCL files (random blocks, attributes, literals, tuples, objects,
// nested blocks, comments and spacing), an unchanged view gives back the same bytes, and changing
// one literal value changes exactly the bytes of that value: the text before and after it is kept.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultParseLimits } from "../../../src/config/index.ts";
import { hclFormat } from "../../../src/config/native/hcl/hcl-format.ts";
import { lineChanges } from "../line-diff.ts";
import { edited, viewOf } from "./hcl-support.ts";

type Literal = string | number | boolean | null;
type Expr =
  | { kind: "literal"; value: Literal }
  | { kind: "tuple"; items: Expr[] }
  | { kind: "object"; entries: [string, Expr][] };

const names = ["a", "b", "name", "count", "enabled", "tags", "x_y", "dash-key"];
const strings = [
  "",
  "web",
  "a b",
  'say "hi"',
  "tab\there",
  "line\nbreak",
  "back\\slash",
  "${var.x}",
  "é",
  "80",
  "true",
];

const literalArb: fc.Arbitrary<Literal> = fc.oneof(
  fc.constantFrom(...strings),
  fc.string({ maxLength: 6 }).filter((s) => !/[$%]\{/.test(s)),
  fc.integer({ min: -1000, max: 100000 }),
  fc.boolean(),
  fc.constant(null),
);

const { expr: exprArb } = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { maxDepth: 2, depthIdentifier: "expr" },
    literalArb.map((value) => ({ kind: "literal" as const, value })),
    fc.array(tie("expr"), { maxLength: 3 }).map((items) => ({ kind: "tuple" as const, items })),
    fc
      .uniqueArray(fc.tuple(fc.constantFrom(...names), tie("expr")), { maxLength: 3, selector: ([k]) => k })
      .map((entries) => ({ kind: "object" as const, entries })),
  ),
}));

function literalText(value: Literal): string {
  if (typeof value === "string") {
    return `"${value.replace(/[\\"\n\t]/g, (c) => ({ "\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t" })[c]!)}"`;
  }
  return String(value);
}

function exprText(expr: Expr, indent: string, multiLine: boolean): string {
  switch (expr.kind) {
    case "literal":
      return literalText(expr.value);
    case "tuple":
      return `[${expr.items.map((item) => exprText(item, indent, false)).join(", ")}]`;
    case "object":
      if (expr.entries.length === 0) return "{}";
      if (!multiLine)
        return `{ ${expr.entries.map(([k, v]) => `${k} = ${exprText(v, indent, false)}`).join(", ")} }`;
      return `{\n${expr.entries.map(([k, v]) => `${indent}  ${k} = ${exprText(v, `${indent}  `, true)}\n`).join("")}${indent}}`;
  }
}

interface Body {
  attributes: [string, Expr][];
  nested: { type: string; body: Body }[];
}

const bodyArb: fc.Arbitrary<Body> = fc.record({
  attributes: fc.uniqueArray(fc.tuple(fc.constantFrom(...names), exprArb), {
    minLength: 1,
    maxLength: 4,
    selector: ([k]) => k,
  }),
  nested: fc.array(
    fc.record({
      type: fc.constantFrom("ingress", "lifecycle"),
      body: fc
        .uniqueArray(fc.tuple(fc.constantFrom(...names), exprArb), { maxLength: 3, selector: ([k]) => k })
        .map((attributes) => ({ attributes, nested: [] })),
    }),
    { maxLength: 2 },
  ),
});

const blockArb = fc.record({
  head: fc.constantFrom(
    'resource "aws_instance" "web"',
    'data "aws_ami" "ubuntu"',
    'variable "region"',
    "locals",
    'module "vpc"',
  ),
  body: bodyArb,
  comment: fc.boolean(),
  aligned: fc.boolean(),
  multiLine: fc.boolean(),
});

function bodyText(
  body: Body,
  indent: string,
  aligned: boolean,
  multiLine: boolean,
  comment: boolean,
): string {
  const width = Math.max(...body.attributes.map(([k]) => k.length), 0);
  const attributes = body.attributes.map(
    ([key, value]) =>
      `${indent}${aligned ? key.padEnd(width) : key} = ${exprText(value, indent, multiLine)}${comment ? " # note" : ""}\n`,
  );
  const nested = body.nested.map(
    ({ type, body: inner }) =>
      `\n${indent}${type} {\n${bodyText(inner, `${indent}  `, aligned, multiLine, false)}${indent}}\n`,
  );
  return attributes.join("") + nested.join("");
}

const fileArb = fc
  .array(blockArb, { minLength: 1, maxLength: 3 })
  .map((blocks) =>
    blocks
      .map(
        ({ head, body, comment, aligned, multiLine }) =>
          `${comment ? "# A block.\n" : ""}${head} {\n${bodyText(body, "  ", aligned, multiLine, comment)}}\n`,
      )
      .join("\n"),
  );

/** Every path to a literal in the documents' bodies (metadata excluded). */
function literalPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => literalPaths(v, [...path, i]));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) =>
      path.length === 1 && k === "confighub" ? [] : literalPaths(v, [...path, k]),
    );
  }
  return [path];
}

function setAt(root: unknown, path: (string | number)[], value: unknown): void {
  let node = root as Record<string | number, unknown>;
  for (const segment of path.slice(0, -1)) node = node[segment] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = value;
}

function getAt(root: unknown, path: (string | number)[]): unknown {
  return path.reduce((node, segment) => (node as Record<string | number, unknown>)[segment], root);
}

describe("HCL edits (property)", () => {
  it("gives back the same bytes when nothing changed", () => {
    fc.assert(
      fc.property(fileArb, (text) => {
        expect(edited(text, () => {})).toBe(text);
      }),
      { numRuns: 100 },
    );
  });

  it("changes only the bytes of the one value that changed, keeping its type", () => {
    fc.assert(
      fc.property(fileArb, fc.nat(), literalArb, (text, pick, next) => {
        const documents = viewOf(text);
        const paths = literalPaths(documents);
        fc.pre(paths.length > 0);
        const path = paths[pick % paths.length]!;
        const old = getAt(documents, path);
        fc.pre(old !== next && !(typeof next === "string" && next.includes("${")));
        const after = edited(text, (docs) => setAt(docs, path, next));

        // Exactly one contiguous range differs: everything before and after it is the original text.
        let start = 0;
        while (start < text.length && text[start] === after[start]) start++;
        let end = 0;
        while (end < text.length - start && text[text.length - 1 - end] === after[after.length - 1 - end])
          end++;
        const replaced = text.slice(start, text.length - end);
        const written = after.slice(start, after.length - end);
        expect(replaced.includes("\n") && typeof old !== "string").toBe(false);
        expect(written).not.toContain("\n");
        expect(literalText(old as Literal)).toContain(replaced);
        expect(literalText(next)).toContain(written);

        // The edited text reads back with the new value, typed, and every other value as it was.
        const reread = viewOf(after);
        setAt(documents, path, next);
        expect(reread).toEqual(documents);
        expect(hclFormat.decode(after, defaultParseLimits).encode(reread)).toBe(after);
      }),
      { numRuns: 200 },
    );
  });

  it("removing one attribute removes only its lines; adding one adds only a line", () => {
    fc.assert(
      fc.property(fileArb, fc.nat(), (text, pick) => {
        const documents = viewOf(text);
        const index = pick % documents.length;
        const key = Object.keys(documents[index]!).find((k) => names.includes(k));
        fc.pre(key !== undefined);
        const removed = edited(text, (docs) => delete docs[index]![key!]);
        const changes = lineChanges(text, removed);
        expect(changes.added).toEqual([]);
        expect(changes.removed[0]!.trim()).toMatch(new RegExp(`^${key} *=`));
        expect(viewOf(removed)[index]).not.toHaveProperty(key!);

        const added = edited(text, (docs) => (docs[index]!.added_key = "v"));
        expect(lineChanges(text, added)).toEqual({ removed: [], added: ['  added_key = "v"'] });
      }),
      { numRuns: 100 },
    );
  });
});
