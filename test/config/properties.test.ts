// AppConfig/Properties through the config layer: the YAML view a properties text reads as, lossless
// round trips of real-world files (../shared/corpus/properties), edits that change only the lines of
// the edited value (property tests as for YAML), and malformed input as a positioned ConfigError.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConfigError, defaultParseLimits, parseConfig } from "../../src/config/index.ts";
import { propertiesFormat } from "../../src/config/native/properties/properties-format.ts";
import { LineIndex, lexProperties } from "../../src/config/native/properties/properties-lexer.ts";
import { typedValue } from "../../src/config/native/properties/properties-tree.ts";
import { thrown } from "../support/thrown.ts";
import { lineChanges } from "./line-diff.ts";

const TOOLCHAIN = "AppConfig/Properties";
const CORPUS = join(import.meta.dirname, "../../../shared/corpus/properties");

const corpus: { name: string; text: string }[] = readdirSync(CORPUS).flatMap((repo) =>
  readdirSync(join(CORPUS, repo))
    .filter((file) => file.endsWith(".properties"))
    .map((file) => ({ name: `${repo}/${file}`, text: readFileSync(join(CORPUS, repo, file), "utf8") })),
);

function view(text: string): unknown {
  const documents = parseConfig(text, { toolchain: TOOLCHAIN }).documents;
  return documents.length === 0 ? {} : documents[0]!.toJS();
}

type Tree = { [key: string]: unknown };

/** Every leaf of a view as [path segments, value]. */
function leaves(value: unknown, path: string[] = []): [string[], unknown][] {
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  }
  return [[path, value]];
}

function withLeaf(value: unknown, path: string[], leaf: unknown): unknown {
  const copy = structuredClone(value) as Tree;
  let map = copy;
  for (const segment of path.slice(0, -1)) map = map[segment] as Tree;
  map[path[path.length - 1]!] = leaf;
  return copy;
}

/** The natural lines of the (last) entry with `key`. */
function entryLines(text: string, key: string): string[] {
  const entries = lexProperties(text, new LineIndex(text)).filter((e) => e.key === key);
  const entry = entries[entries.length - 1]!;
  return text.slice(entry.start, entry.contentEnd).split(/\r\n|\r|\n/);
}

describe("AppConfig/Properties: the YAML view", () => {
  it("nests dotted keys into one document, typed as ConfigHub reads them", () => {
    const text = [
      "database.host=localhost",
      "database.port=5432",
      "database.ssl.enabled=true",
      "app.version=1.0.0",
      "app.ratio=0.5",
      "app.code=0123",
      "app.empty=",
    ].join("\n");
    expect(view(text)).toEqual({
      database: { host: "localhost", port: 5432, ssl: { enabled: true } },
      app: { version: "1.0.0", ratio: "0.5", code: "0123", empty: "" },
    });
  });

  it("reads separators, comments, continuations and escapes as java.util.Properties does", () => {
    const text = [
      "# a comment",
      "! another = comment",
      "",
      "   indented : value",
      "spaced   value with spaces  ",
      "tab\tafter tab",
      "long = first, \\",
      "       second, \\",
      "   third",
      "escaped\\:key\\=x = v",
      "key\\ with\\ space=1",
      "unicode=\\u0048\\u00e9llo \\t tab",
      "colon:=starts with equals",
      "backslashes=a\\\\",
      "\\ lead=\\ two",
      "nosep",
    ].join("\r\n");
    expect(view(text)).toEqual({
      indented: "value",
      spaced: "value with spaces  ",
      tab: "after tab",
      long: "first, second, third",
      "escaped:key=x": "v",
      "key with space": 1,
      unicode: "Héllo \t tab",
      colon: "=starts with equals",
      backslashes: "a\\",
      " lead": " two",
      nosep: "",
    });
  });

  it("keeps a key that prefixes others as a value, and the longer keys dotted beside it", () => {
    expect(view("error=Error\nerror.500=Server error\nerror.404.detail=Not found\nother.a=1\n")).toEqual({
      error: "Error",
      "error.500": "Server error",
      "error.404.detail": "Not found",
      other: { a: 1 },
    });
    // The order of the lines does not matter.
    expect(view("a.b.c=1\na.b=2\n")).toEqual({ a: { b: 2, "b.c": 1 } });
  });

  it("reads a repeated key's last value, as java.util.Properties does", () => {
    expect(view("a=1\nb=x\na=2\n")).toEqual({ a: 2, b: "x" });
  });

  it("identifies the file by configHub.configSchema and configHub.configName, NoSchema/NoName by default", () => {
    const named = parseConfig("configHub.configSchema=SimpleApp\nconfigHub.configName=My\n", {
      toolchain: TOOLCHAIN,
    });
    expect(named.documents[0]!.identity()).toEqual({
      type: "SimpleApp",
      name: "My",
      nameWithoutScope: "My",
      category: "AppConfig",
    });
    expect(parseConfig("a=1\n", { toolchain: TOOLCHAIN }).documents[0]!.identity()).toEqual({
      type: "NoSchema",
      name: "NoName",
      nameWithoutScope: "NoName",
      category: "AppConfig",
    });
  });

  it("has no document for a file with only comments and blank lines", () => {
    expect(parseConfig("# nothing\n\n! here\n", { toolchain: TOOLCHAIN }).documents).toHaveLength(0);
    expect(parseConfig("", { toolchain: TOOLCHAIN }).documents).toHaveLength(0);
  });
});

describe("AppConfig/Properties: malformed and oversized input", () => {
  it("refuses a malformed \\uXXXX escape with its line and column", () => {
    const error = thrown<ConfigError>(() => parseConfig("a=1\nb = x\\u00G1\n", { toolchain: TOOLCHAIN }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: "SYNTAX", line: 2, column: 6 });
    expect(error.message).toContain("line 2, column 6");
    // In a key and on a continuation line too.
    expect(thrown(() => parseConfig("ok=1\n\\u12=x\n", { toolchain: TOOLCHAIN }))).toMatchObject({
      code: "SYNTAX",
      line: 2,
      column: 1,
    });
    expect(thrown(() => parseConfig("a = one \\\n    two\\u1\n", { toolchain: TOOLCHAIN }))).toMatchObject({
      code: "SYNTAX",
      line: 2,
      column: 8,
    });
  });

  it("refuses keys nested deeper than maxDepth and text over maxBytes", () => {
    const deep = `${Array.from({ length: 20 }, (_, i) => `k${i}`).join(".")}=1\n`;
    expect(thrown(() => parseConfig(`a=1\n${deep}`, { toolchain: TOOLCHAIN, maxDepth: 10 }))).toMatchObject({
      code: "TOO_DEEP",
      line: 2,
    });
    expect(thrown(() => parseConfig("a=12345\n", { toolchain: TOOLCHAIN, maxBytes: 4 }))).toMatchObject({
      code: "TOO_LARGE",
    });
  });

  it("refuses to write a view that has no properties form", () => {
    const decoded = propertiesFormat.decode("a=1\n", defaultParseLimits);
    expect(thrown(() => decoded.encode([{ a: 1 }, { b: 2 }]))).toMatchObject({ code: "INVALID_VALUE" });
    expect(thrown(() => decoded.encode(["text"]))).toMatchObject({ code: "INVALID_VALUE" });
    expect(thrown(() => decoded.encode([{ a: { b: 1 }, "a.b": 2 }]))).toMatchObject({
      code: "INVALID_VALUE",
      path: "a.b",
    });
  });
});

describe("AppConfig/Properties: lossless edits", () => {
  it("gives back real-world files byte for byte, read only and after an edit that changes nothing", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(16);
    for (const { name, text } of corpus) {
      const data = parseConfig(text, { toolchain: TOOLCHAIN });
      expect(data.toString(), name).toBe(text);
      const document = data.documents[0]!;
      const [path, value] = leaves(document.toJS())[0]!;
      document.set(path.map((s) => `"${s.replace(/"/g, "")}"`).join("."), value as string);
      expect(data.toString(), `${name} (no-op edit)`).toBe(text);
      expect(propertiesFormat.decode(text, defaultParseLimits).encode([document.toJS()]), name).toBe(text);
    }
  });

  it("rewrites only the value of a changed key, keeping its key, separator and line break", () => {
    const text = "# db\r\ndatabase.host :  localhost\r\ndatabase.port=5432\r\n";
    const data = parseConfig(text, { toolchain: TOOLCHAIN });
    data.documents[0]!.set("database.host", "db.internal");
    data.documents[0]!.set("database.port", 5433);
    expect(data.toString()).toBe("# db\r\ndatabase.host :  db.internal\r\ndatabase.port=5433\r\n");
  });

  it("writes a changed multi-line value on one line and escapes what needs it", () => {
    const text = "a=1\nlong = first \\\n   second\nz=9";
    const data = parseConfig(text, { toolchain: TOOLCHAIN });
    data.documents[0]!.set("long", " two\nlines\\");
    expect(data.toString()).toBe("a=1\nlong = \\ two\\nlines\\\\\nz=9");
    expect(view(data.toString())).toMatchObject({ long: " two\nlines\\" });
  });

  it("removes a deleted key's lines and adds a new key after its closest sibling", () => {
    const text = "# app\napp.name=x\napp.version=1\n\n# db\ndb.host = h\ndb.port = 1 \\\n  2\n";
    const data = parseConfig(text, { toolchain: TOOLCHAIN });
    const document = data.documents[0]!;
    document.delete("db.port");
    document.set("app.owner", "me", { upsert: true });
    document.set("db.user", "sa", { upsert: true });
    document.set("cache.size", 10, { upsert: true });
    expect(data.toString()).toBe(
      "# app\napp.name=x\napp.version=1\napp.owner=me\n\n# db\ndb.host = h\ndb.user = sa\ncache.size=10\n",
    );
  });

  it("keeps the view through clone(): the copy writes native text, the original is untouched", () => {
    const text = "a.b=1\n! keep\nc=2\n";
    const data = parseConfig(text, { toolchain: TOOLCHAIN });
    const copy = data.clone();
    copy.documents[0]!.set("c", 3);
    expect(copy.toString()).toBe("a.b=1\n! keep\nc=3\n");
    expect(data.toString()).toBe(text);
    expect(copy.clone().toString()).toBe("a.b=1\n! keep\nc=3\n");
  });

  const keyTexts = [
    "a",
    "a.b",
    "a.c",
    "db.port",
    "db.host",
    "x\\:y",
    "k\\ sp",
    "msg",
    "msg.more",
    "n.0",
    "n.1",
  ];
  const separators = ["=", " = ", ":", ": ", " ", "\t", "  =  "];
  const valueTexts = [
    "v",
    "1",
    "true",
    "",
    "\\u0041bc",
    "one \\\n    two",
    "x\\\\",
    "  lead",
    "a=b:c",
    "ünï",
  ];
  const others = ["", "# comment", "! bang", "   ", "#"];
  const propertiesText = fc
    .tuple(
      fc.uniqueArray(fc.constantFrom(...keyTexts), { minLength: 1, maxLength: keyTexts.length }),
      fc.array(
        fc.tuple(fc.constantFrom(...separators), fc.constantFrom(...valueTexts), fc.constantFrom(...others)),
      ),
      fc.constantFrom("\n", "\r\n"),
      fc.boolean(),
    )
    .map(([keys, parts, eol, finalBreak]) => {
      const lines = keys.flatMap((key, i) => {
        const [separator, value, other] = parts[i] ?? ["=", "v", ""];
        return other === "" ? [key + separator + value] : [other, key + separator + value];
      });
      return (
        lines
          .join(eol)
          .replace(/\n/g, eol === "\r\n" ? "\r\n" : "\n")
          .replace(/\r\r\n/g, "\r\n") + (finalBreak ? eol : "")
      );
    });
  const newValue = fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.integer({ min: -1000, max: 1000 }),
    fc.boolean(),
    fc.constantFrom(" x", "a\nb", "\\", "#x", "=", "ü"),
  );

  function checkSingleEdit(text: string, pick: number, value: unknown): void {
    const before = view(text);
    const all = leaves(before);
    const [path, old] = all[pick % all.length]!;
    const decoded = propertiesFormat.decode(text, defaultParseLimits);
    const after = decoded.encode([withLeaf(before, path, value)]);
    // Properties have no types: a string written reads back typed, as every value does ("0" → 0).
    expect(view(after)).toEqual(
      withLeaf(before, path, typeof value === "string" ? typedValue(value) : value),
    );
    if (old === value) {
      expect(after).toBe(text);
      return;
    }
    const { removed, added } = lineChanges(text.replace(/\r\n/g, "\n"), after.replace(/\r\n/g, "\n"));
    const lines = entryLines(text, path.join("."));
    for (const line of removed) expect(lines).toContain(line);
    expect(added).toHaveLength(1);
  }

  it("changes only the lines of the edited value (generated files)", () => {
    fc.assert(
      fc.property(propertiesText, fc.nat(), newValue, (text, pick, value) => {
        expect(parseConfig(text, { toolchain: TOOLCHAIN }).toString()).toBe(text);
        checkSingleEdit(text, pick, value);
      }),
      { numRuns: 300 },
    );
  });

  it("changes only the lines of the edited value (real-world files)", () => {
    fc.assert(
      fc.property(fc.constantFrom(...corpus), fc.nat(), newValue, ({ text }, pick, value) => {
        checkSingleEdit(text, pick, value);
      }),
      { numRuns: 200 },
    );
  });
});
