// AppConfig/TOML: TOML 1.0 files read as one nested YAML document and written back losslessly.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { ConfigError } from "../../../src/config/index.ts";
import { buildTomlModel, type Meta, type ScalarMeta } from "../../../src/config/native/toml/toml-model.ts";
import { tomlFormat } from "../../../src/config/native/toml/toml-format.ts";
import { parseTomlSyntax } from "../../../src/config/native/toml/toml-syntax.ts";
import { defaultParseLimits } from "../../../src/config/parse/limits.ts";
import { thrown } from "../../support/thrown.ts";
import { corpusFiles } from "./corpus.ts";

const corpus = corpusFiles("toml");

function view(text: string): Record<string, unknown> {
  return parse(tomlFormat.decode(text, defaultParseLimits).yaml) as Record<string, unknown>;
}

function edit(text: string, change: (values: Record<string, unknown>) => void): string {
  const decoded = tomlFormat.decode(text, defaultParseLimits);
  const values = parse(decoded.yaml) as Record<string, unknown>;
  change(values);
  return decoded.encode([values]);
}

function scalars(meta: Meta): ScalarMeta[] {
  if (meta.kind === "scalar") return [meta];
  if (meta.kind === "array") return meta.elements.flatMap(scalars);
  return [...meta.children.values()].flatMap(scalars);
}

function setIn(value: unknown, path: readonly (string | number)[], next: unknown): unknown {
  if (path.length === 0) return next;
  const [head, ...rest] = path;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<
    string | number,
    unknown
  >;
  copy[head!] = setIn(copy[head!], rest, next);
  return copy;
}

describe("AppConfig/TOML corpus", () => {
  it("covers every real-world .toml file", () => {
    expect(corpus.length).toBe(17);
  });

  it.each(corpus)("%s comes back byte for byte", (_name, text) => {
    const decoded = tomlFormat.decode(text, defaultParseLimits);
    expect(decoded.encode([parse(decoded.yaml)])).toBe(text);
  });

  it("reads TOML's value kinds with their types (dates and times as their text)", () => {
    const [, example] = corpus.find(([name]) => name.endsWith("spec-example-1.toml"))!;
    expect(view(example)).toEqual({
      title: "TOML Example",
      owner: { name: "Lance Uppercut", dob: "1979-05-27T07:32:00-08:00" },
      database: { server: "192.168.1.1", ports: [8001, 8001, 8002], connection_max: 5000, enabled: true },
      servers: {
        alpha: { ip: "10.0.0.1", dc: "eqdc10" },
        beta: { ip: "10.0.0.2", dc: "eqdc10" },
      },
      clients: {
        data: [
          ["gamma", "delta"],
          [1, 2],
        ],
        hosts: ["alpha", "omega"],
      },
    });
    const text = [
      "hex = 0xDEAD_beef",
      "oct = 0o755",
      "bin = 0b1101",
      "flt = 6.626e-34",
      "inf = -inf",
      "big = 9_223_372_036_854_775_807",
      "ld = 1979-05-27",
      "lt = 07:32:00.999",
      "ldt = 1979-05-27 07:32:00",
      "lit = 'C:\\Users'",
      'ml = """',
      "  one \\",
      '  two"""',
      "[[fruit]]",
      "name.first = 'apple'",
      "[fruit.physical]",
      "color = 'red'",
      "[[fruit]]",
      "name = { first = 'banana' }",
      "",
    ].join("\n");
    expect(view(text)).toEqual({
      hex: 0xdeadbeef,
      oct: 0o755,
      bin: 13,
      flt: 6.626e-34,
      inf: -Infinity,
      big: Number(2n ** 63n - 1n),
      ld: "1979-05-27",
      lt: "07:32:00.999",
      ldt: "1979-05-27 07:32:00",
      lit: "C:\\Users",
      ml: "  one two",
      fruit: [{ name: { first: "apple" }, physical: { color: "red" } }, { name: { first: "banana" } }],
    });
  });
});

describe("AppConfig/TOML edits", () => {
  const text = [
    "# service",
    "name = 'web' # the name",
    "port = 0x1F90",
    "ratio = 1.0",
    "started = 2024-01-02T03:04:05Z",
    "tags = [",
    '  "a",',
    '  "b",',
    "]",
    "",
    "[db]",
    'host = "localhost"',
    "pool.size = 5",
    "",
    "# replicas",
    "[[db.replica]]",
    "host = 'r1'",
    "",
    "[[db.replica]]",
    "host = 'r2'",
    "",
    "[limits]",
    "cpu = { max = 2, min = 1 }",
    "",
  ].join("\n");

  it("rewrites a changed scalar's bytes only, in its own style", () => {
    expect(edit(text, (v) => (v.name = "api"))).toBe(text.replace("'web'", "'api'"));
    expect(edit(text, (v) => (v.name = "it's"))).toBe(text.replace("'web'", '"it\'s"'));
    expect(edit(text, (v) => (v.port = 443))).toBe(text.replace("0x1F90", "0x1BB"));
    expect(edit(text, (v) => (v.ratio = 2))).toBe(text.replace("1.0", "2.0"));
    expect(edit(text, (v) => (v.started = "2025-06-07"))).toBe(
      text.replace("2024-01-02T03:04:05Z", "2025-06-07"),
    );
    expect(edit(text, (v) => (v.started = "soon"))).toBe(text.replace("2024-01-02T03:04:05Z", '"soon"'));
    expect(edit(text, (v) => ((v.db as { pool: { size: number } }).pool.size = 10))).toBe(
      text.replace("pool.size = 5", "pool.size = 10"),
    );
    expect(edit(text, (v) => ((v.limits as { cpu: { max: number } }).cpu.max = 4))).toBe(
      text.replace("max = 2", "max = 4"),
    );
    expect(edit(text, (v) => (v.port = "8080"))).toBe(text.replace("0x1F90", '"8080"'));
  });

  it("inserts a new key in its own table, keeping dotted prefixes and inline tables", () => {
    expect(edit(text, (v) => ((v.db as Record<string, unknown>).user = "app"))).toBe(
      text.replace("pool.size = 5\n", 'pool.size = 5\nuser = "app"\n'),
    );
    expect(edit(text, (v) => ((v.db as { pool: Record<string, unknown> }).pool.idle = 1))).toBe(
      text.replace("pool.size = 5\n", "pool.size = 5\npool.idle = 1\n"),
    );
    expect(edit(text, (v) => (v.debug = true))).toBe(text.replace("]\n\n[db]", "]\ndebug = true\n\n[db]"));
    expect(edit(text, (v) => ((v.limits as { cpu: Record<string, unknown> }).cpu.step = 0.5))).toBe(
      text.replace("min = 1 }", "min = 1, step = 0.5 }"),
    );
    expect(edit(text, (v) => (v.cache = { ttl: 60, redis: { url: "r" } }))).toBe(
      `${text}\n[cache]\nttl = 60\n\n[cache.redis]\nurl = "r"\n`,
    );
  });

  it("removes a removed key's line, entry or sections", () => {
    expect(edit(text, (v) => delete v.ratio)).toBe(text.replace("ratio = 1.0\n", ""));
    expect(edit(text, (v) => delete (v.limits as { cpu: Record<string, unknown> }).cpu.max)).toBe(
      text.replace("{ max = 2, min = 1 }", "{ min = 1 }"),
    );
    expect(edit(text, (v) => delete (v.db as Record<string, unknown>).replica)).toBe(
      text.replace("# replicas\n[[db.replica]]\nhost = 'r1'\n\n[[db.replica]]\nhost = 'r2'\n\n", ""),
    );
    expect(edit(text, (v) => (v.db as { replica: unknown[] }).replica.splice(0, 1))).toBe(
      text.replace("# replicas\n[[db.replica]]\nhost = 'r1'\n\n", ""),
    );
  });

  it("edits arrays element by element, keeping the array's layout", () => {
    expect(edit(text, (v) => (v.tags as string[]).push("c"))).toBe(text.replace('"b",\n', '"b",\n  "c",\n'));
    expect(edit(text, (v) => (v.tags as string[]).splice(0, 1))).toBe(text.replace('  "a",\n', ""));
    expect(edit(text, (v) => (v.tags = ["x"]))).toBe(text.replace('  "a",\n  "b",\n', '  "x",\n'));
    expect(edit(text, (v) => (v.db as { replica: unknown[] }).replica.push({ host: "r3" }))).toBe(
      text.replace("host = 'r2'\n", "host = 'r2'\n\n[[db.replica]]\nhost = \"r3\"\n"),
    );
  });

  it("refuses null naming the path, and gives back the text when nothing changed", () => {
    const error = thrown<ConfigError>(() =>
      edit(text, (v) => ((v.db as Record<string, unknown>).host = null)),
    );
    expect(error).toMatchObject({ code: "INVALID_VALUE", path: "db.host" });
    expect(edit(text, () => undefined)).toBe(text);
  });

  it("keeps keys named like Object's own properties as ordinary keys", () => {
    const proto = "__proto__ = 1\n[constructor]\nx = 2\n";
    expect(Object.keys(view(proto))).toEqual(["__proto__", "constructor"]);
    expect(edit(proto, (v) => (v["constructor"] = { x: 3 }))).toBe(proto.replace("x = 2", "x = 3"));
  });

  it("adds lines with the file's CRLF line breaks", () => {
    const crlf = "[a]\r\nx = 1\r\n";
    expect(edit(crlf, (v) => ((v.a as Record<string, unknown>).y = "z"))).toBe('[a]\r\nx = 1\r\ny = "z"\r\n');
    expect(edit(crlf, (v) => (v.b = { c: 1 }))).toBe("[a]\r\nx = 1\r\n\r\n[b]\r\nc = 1\r\n");
  });
});

describe("AppConfig/TOML errors", () => {
  it.each([
    ["a = 1\nb = \n", 2, 5, "expected a value"],
    ["a = 1\n[t\n", 2, 3, 'expected "]"'],
    ['s = "open\n', 1, 5, "unterminated string"],
    ["x = [1, 2\n", 1, 5, "unterminated array"],
    ["x = 1 2\n", 1, 7, "unexpected text after a value"],
    ["x = 07\n", 1, 5, 'invalid value "07"'],
    ["t = { a = 1,\n b = 2 }\n", 1, 13, "expected a key"],
    ["x = 1979-13-01\n", 1, 5, "invalid value"],
  ])("malformed %j is a SYNTAX error at line %i, column %i", (input, line, column, what) => {
    const error = thrown<ConfigError>(() => tomlFormat.decode(input, defaultParseLimits));
    expect(error).toMatchObject({ code: "SYNTAX", line, column });
    expect(error.message).toContain(what);
  });

  it.each([
    ["a = 1\na = 2\n", 2, 1],
    ["[t]\nx = 1\n[t]\n", 3, 1],
    ["a.b = 1\n[a]\n", 2, 1],
    ["t = { a = 1, a = 2 }\n", 1, 14],
    ["[[x]]\n[x]\n", 2, 1],
    ["a = { x = 1 }\na.y = 2\n", 2, 1],
    ["a = { x = 1 }\n[a.b]\n", 2, 1],
  ])("%j defines a key twice: DUPLICATE_KEY at line %i, column %i", (input, line, column) => {
    expect(thrown(() => tomlFormat.decode(input, defaultParseLimits))).toMatchObject({
      code: "DUPLICATE_KEY",
      line,
      column,
    });
  });

  it("refuses text over the size limit and nesting over the depth limit", () => {
    const limits = { ...defaultParseLimits, maxDepth: 4 };
    expect(thrown(() => tomlFormat.decode("a = [[[[[1]]]]]\n", limits))).toMatchObject({
      code: "TOO_DEEP",
      line: 1,
    });
    expect(thrown(() => tomlFormat.decode("[a.b.c.d.e]\n", limits))).toMatchObject({ code: "TOO_DEEP" });
    expect(thrown(() => tomlFormat.decode("a = 1\n", { ...defaultParseLimits, maxBytes: 4 }))).toMatchObject({
      code: "TOO_LARGE",
    });
    const deep = `x = ${"[".repeat(100_000)}`;
    expect(thrown(() => tomlFormat.decode(deep, defaultParseLimits))).toMatchObject({ code: "TOO_DEEP" });
  });
});

describe("AppConfig/TOML properties", () => {
  const files = corpus.map(([name, text]) => {
    const model = buildTomlModel(text, parseTomlSyntax(text, 128).statements, 128);
    return { name, text, leaves: scalars(model.root) };
  });
  const newValue = fc.oneof(
    fc.string({ unit: "binary", maxLength: 10 }).filter((s) => !s.includes("\0")),
    fc.constantFrom("1979-05-27", "07:32:00", "2020-01-01T00:00:00Z", "'", "'''", '"""', "a\nb", "\\"),
    fc.integer(),
    fc.double({ noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
    fc.boolean(),
  );

  it("a single-value edit changes only that value's bytes and reads back as the new value", () => {
    fc.assert(
      fc.property(fc.constantFrom(...files), fc.nat(), newValue, ({ text, leaves }, pick, next) => {
        fc.pre(leaves.length > 0);
        const leaf = leaves[pick % leaves.length]!;
        const edited = edit(text, (v) => Object.assign(v, setIn(v, leaf.path, next)));
        expect(edited.startsWith(text.slice(0, leaf.node.start))).toBe(true);
        expect(edited.endsWith(text.slice(leaf.node.end))).toBe(true);
        expect(view(edited)).toEqual(
          setIn(parse(tomlFormat.decode(text, defaultParseLimits).yaml), leaf.path, next),
        );
      }),
      { numRuns: 120 },
    );
  });

  it("removing a key/value removes exactly its lines", () => {
    const withLines = files.filter((file) => file.text.length < 20_000);
    fc.assert(
      fc.property(fc.constantFrom(...withLines), fc.nat(), ({ text }, pick) => {
        const statements = parseTomlSyntax(text, 128).statements;
        const model = buildTomlModel(text, statements, 128);
        const keyValues = model.sections.flatMap((section) =>
          section.statements.map((statement) => ({ statement, path: [...section.path, ...statement.keys] })),
        );
        fc.pre(keyValues.length > 0);
        const { statement, path } = keyValues[pick % keyValues.length]!;
        const edited = edit(text, (v) => {
          const parent = path
            .slice(0, -1)
            .reduce<unknown>((at, key) => (at as Record<string, unknown>)[key], v);
          delete (parent as Record<string, unknown>)[path[path.length - 1] as string];
        });
        // A dotted key's table disappears with its last key; otherwise exactly the line goes.
        expect(edited.length).toBeLessThan(text.length);
        if (statement.keys.length === 1) {
          expect(edited).toBe(text.slice(0, statement.lineStart) + text.slice(statement.lineEnd));
        }
      }),
    );
  });
});

// CONFN_PROPERTY_RUNS raises the number of generated cases for a deeper local run.
const runs = (count: number) => ({ numRuns: Number(process.env.CONFN_PROPERTY_RUNS ?? count) });

describe("AppConfig/TOML structural edits", () => {
  type Tree = Record<string, unknown> | unknown[];
  const small = corpus.filter(([, text]) => text.length < 12_000).map(([, text]) => text);

  /** Every path to a map or array in `value` (the root included). */
  function containers(value: unknown, path: (string | number)[] = []): (string | number)[][] {
    if (value === null || typeof value !== "object") return [];
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
    return [path, ...entries.flatMap(([key, item]) => containers(item, [...path, key]))];
  }

  const newValue = fc.oneof(
    fc.string({ maxLength: 6 }),
    fc.integer(),
    fc.boolean(),
    fc.array(fc.integer(), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom("k", "x y", "n"), fc.oneof(fc.integer(), fc.string({ maxLength: 4 })), {
      minKeys: 1,
      maxKeys: 2,
    }),
    fc.array(fc.record({ id: fc.integer() }), { minLength: 1, maxLength: 2 }),
  );

  it("adding, replacing or removing any entry gives TOML that reads back as the edited view", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...small),
        fc.nat(),
        fc.nat(),
        fc.constantFrom("add", "replace", "remove"),
        fc.constantFrom("new", "n2", "a b"),
        newValue,
        (text, pickContainer, pickEntry, operation, newKey, value) => {
          const expected = view(text);
          const paths = containers(expected);
          const path = paths[pickContainer % paths.length]!;
          const target = path.reduce<unknown>(
            (at, key) => (at as Record<string, unknown>)[key],
            expected,
          ) as Tree;
          const keys = Array.isArray(target) ? target.map((_, i) => i) : Object.keys(target);
          if (operation === "add" || keys.length === 0) {
            if (Array.isArray(target)) target.push(value);
            else target[newKey] = value;
          } else {
            const key = keys[pickEntry % keys.length]!;
            if (operation === "replace") (target as Record<string | number, unknown>)[key] = value;
            else if (Array.isArray(target)) target.splice(key as number, 1);
            else delete target[key as string];
          }
          // An array of tables must stay tables, TOML arrays can't be written otherwise.
          let edited: string;
          try {
            edited = tomlFormat.decode(text, defaultParseLimits).encode([expected]);
          } catch (error) {
            expect((error as ConfigError).code).toBe("INVALID_VALUE");
            return;
          }
          expect(view(edited)).toEqual(JSON.parse(JSON.stringify(expected)));
        },
      ),
      runs(300),
    );
  });

  it("random damage to a real file is a ConfigError or parses and round-trips, never another exception", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...small),
        fc.nat(),
        fc.nat({ max: 8 }),
        fc.string({ unit: "binary", maxLength: 4 }),
        (text, at, cut, insert) => {
          const position = at % (text.length + 1);
          const damaged = text.slice(0, position) + insert + text.slice(position + cut);
          let decoded;
          try {
            decoded = tomlFormat.decode(damaged, defaultParseLimits);
          } catch (error) {
            expect(error).toBeInstanceOf(Error);
            expect((error as ConfigError).name).toBe("ConfigError");
            expect((error as ConfigError).line).toBeGreaterThan(0);
            return;
          }
          expect(decoded.encode([parse(decoded.yaml)])).toBe(damaged);
        },
      ),
      runs(400),
    );
  });
});
