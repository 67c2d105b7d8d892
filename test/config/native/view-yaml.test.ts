// The YAML text of a decoded view reads back as exactly the view's value.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseConfig } from "../../../src/config/index.ts";
import { viewYaml } from "../../../src/config/native/view-yaml.ts";

const tricky = fc.constantFrom(
  "true",
  "False",
  "null",
  "~",
  "yes",
  "on",
  "n",
  "1",
  "1.5",
  "1e3",
  "0x10",
  "0o7",
  ".inf",
  "-.inf",
  ".nan",
  "",
  " ",
  "a b",
  "a  b",
  "a: b",
  "a #b",
  "#x",
  "- x",
  "-",
  "? x",
  "[x]",
  "{x}",
  "*a",
  "&a",
  "!t",
  "%x",
  "@x",
  "`x",
  "'q'",
  '"dq"',
  "<<",
  "a\nb",
  "a\n",
  "\t",
  "é",
  "2024-01-02",
  "07:32:00",
  "1:20",
  "/path/x",
  "x/y.z-1",
  "\u0085",
  "\u2028",
  "\ufeffx",
  "\u0000",
  "\ud800",
);
const key = fc.oneof(tricky, fc.string({ unit: "binary", maxLength: 5 }));
const scalar = fc.oneof(
  tricky,
  fc.string({ unit: "binary", maxLength: 8 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
);
const { map } = fc.letrec<{ node: unknown; map: unknown; seq: unknown }>((tie) => ({
  node: fc.oneof({ maxDepth: 3, depthIdentifier: "view" }, scalar, tie("map"), tie("seq")),
  map: fc.dictionary(key, tie("node"), { maxKeys: 4 }),
  seq: fc.array(tie("node"), { maxLength: 3 }),
}));

describe("viewYaml", () => {
  it("reads back as the same value, through yaml and through parseConfig", () => {
    fc.assert(
      fc.property(map, (value) => {
        const text = viewYaml(value as Record<string, unknown>);
        expect(parse(text)).toEqual(value);
        const documents = parseConfig(text).documents;
        if (documents.length > 0) expect(documents[0]!.toJS()).toEqual(value);
      }),
      { numRuns: Number(process.env.CONFN_PROPERTY_RUNS ?? 500) },
    );
  });

  it("writes block YAML with plain scalars where they read back the same", () => {
    expect(
      viewYaml({ a: "web", b: 1, c: [1, { d: "x y", e: [] }], f: {}, "g h": "true", i: -Infinity }),
    ).toBe('a: web\nb: 1\nc:\n  - 1\n  - d: x y\n    e: []\nf: {}\ng h: "true"\ni: -.inf\n');
  });
});
