// AppConfig/Env: .env files read as one flat YAML document of strings and written back losslessly.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ConfigError } from "../../../src/config/index.ts";
import { envFormat } from "../../../src/config/native/env/env-format.ts";
import { parseEnv } from "../../../src/config/native/env/env-syntax.ts";
import { defaultParseLimits } from "../../../src/config/parse/limits.ts";
import { thrown } from "../../support/thrown.ts";
import { corpusFiles } from "./corpus.ts";

const INVALID = "joho__godotenv/fixtures__invalid1.env";
const corpus = corpusFiles("env");
const valid = corpus.filter(([name]) => name !== INVALID);

function view(text: string): Record<string, string> {
  return parse(envFormat.decode(text, defaultParseLimits).yaml) as Record<string, string>;
}

function edit(text: string, change: (values: Record<string, unknown>) => void): string {
  const decoded = envFormat.decode(text, defaultParseLimits);
  const values = parse(decoded.yaml) as Record<string, unknown>;
  change(values);
  return decoded.encode([values]);
}

describe("AppConfig/Env corpus", () => {
  it("covers every real-world .env file", () => {
    expect(corpus.length).toBe(10);
  });

  it.each(valid)("%s comes back byte for byte", (_name, text) => {
    const decoded = envFormat.decode(text, defaultParseLimits);
    expect(decoded.encode([parse(decoded.yaml)])).toBe(text);
  });

  it("refuses godotenv's invalid fixture with the line and column of the problem", () => {
    const [, text] = corpus.find(([name]) => name === INVALID)!;
    const error = thrown<ConfigError>(() => envFormat.decode(text, defaultParseLimits));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: "SYNTAX", line: 1, column: 9 });
    expect(error.message).toBe('invalid .env: expected "=" after INVALID at line 1, column 9');
  });

  it("reads values as dotenv does: quotes removed, comments after whitespace dropped, all strings", () => {
    const [, comments] = valid.find(([name]) => name.endsWith("fixtures__comments.env"))!;
    expect(view(comments)).toEqual({
      qux: "thud",
      thud: "fred#qux",
      fred: "qux#baz",
      foo: "bar",
      bar: "foo#baz",
      baz: "foo",
    });
    const [, quoted] = valid.find(([name]) => name.endsWith("fixtures__quoted.env"))!;
    expect(view(quoted)).toMatchObject({
      OPTION_A: "1",
      OPTION_D: "\\n",
      OPTION_H: "\n",
      OPTION_I: "echo 'asd'",
      OPTION_J: "line 1\nline 2",
      OPTION_K: "line one\nthis is \\'quoted\\'\none more line",
      OPTION_M: 'line one\nthis is "quoted"\none more line',
    });
    const [, plain] = valid.find(([name]) => name.endsWith("fixtures__plain.env"))!;
    expect(view(plain)).toEqual({
      OPTION_A: "1",
      OPTION_B: "2",
      OPTION_C: "3",
      OPTION_D: "4",
      OPTION_E: "5",
      OPTION_F: "",
      OPTION_G: "",
      OPTION_H: "1 2",
    });
    expect(view("export PORT=8080\n")).toEqual({ PORT: "8080" });
    expect(Object.keys(view("__proto__=1\n"))).toEqual(["__proto__"]);
  });
});

describe("AppConfig/Env edits", () => {
  const text = [
    "# database",
    "export DB_HOST=localhost # the host",
    "DB_USER='admin'",
    'DB_PASS="s3cr\\"t"',
    'MOTD="line 1',
    'line 2"',
    "EMPTY=",
    "",
  ].join("\n");

  it("rewrites only a changed value's bytes, keeping its quoting", () => {
    expect(edit(text, (v) => (v.DB_HOST = "db.internal"))).toBe(text.replace("=localhost", "=db.internal"));
    expect(edit(text, (v) => (v.DB_USER = "root"))).toBe(text.replace("'admin'", "'root'"));
    expect(edit(text, (v) => (v.DB_PASS = 'a"b\\c'))).toBe(text.replace('"s3cr\\"t"', '"a\\"b\\\\c"'));
    expect(edit(text, (v) => (v.MOTD = "one\ntwo"))).toBe(text.replace('"line 1\nline 2"', '"one\ntwo"'));
  });

  it("quotes a value only when it needs quotes, and leaves single quotes when they cannot hold it", () => {
    expect(edit(text, (v) => (v.DB_HOST = "a#b"))).toBe(text.replace("=localhost", "=a#b"));
    expect(edit(text, (v) => (v.DB_HOST = "a # b"))).toBe(text.replace("=localhost", "='a # b'"));
    expect(edit(text, (v) => (v.DB_HOST = "#x"))).toBe(text.replace("=localhost", "='#x'"));
    expect(edit(text, (v) => (v.EMPTY = " padded"))).toBe(text.replace("EMPTY=", "EMPTY=' padded'"));
    expect(edit(text, (v) => (v.DB_USER = "it's"))).toBe(text.replace("'admin'", '"it\'s"'));
    expect(edit(text, (v) => (v.DB_HOST = "multi\nline"))).toBe(
      text.replace("=localhost", '="multi\\nline"'),
    );
  });

  it("removes a removed key's lines and appends a new key", () => {
    expect(edit(text, (v) => delete v.MOTD)).toBe(text.replace('MOTD="line 1\nline 2"\n', ""));
    expect(edit(text, (v) => (v.NEW_KEY = "x y"))).toBe(`${text}NEW_KEY='x y'\n`);
    expect(edit("A=1", (v) => (v.B = "2"))).toBe("A=1\nB=2\n");
    expect(edit("A=1\r\nB=2\r\n", (v) => (v.C = "3"))).toBe("A=1\r\nB=2\r\nC=3\r\n");
  });

  it("writes numbers and booleans as their text, and refuses maps, lists and null naming the key", () => {
    expect(edit(text, (v) => (v.EMPTY = 3))).toBe(text.replace("EMPTY=", "EMPTY=3"));
    for (const [value, what] of [
      [{ a: 1 }, "map"],
      [[1], "list"],
    ] as const) {
      const error = thrown<ConfigError>(() => edit(text, (v) => (v.DB_USER = value)));
      expect(error).toMatchObject({ code: "INVALID_VALUE", path: "DB_USER" });
      expect(error.message).toContain(what);
    }
    expect(thrown<ConfigError>(() => edit(text, (v) => (v.NEW = null)))).toMatchObject({
      code: "INVALID_VALUE",
      path: "NEW",
    });
  });
});

describe("AppConfig/Env errors", () => {
  it.each([
    ["A=1\nB C=2\n", 2, 3],
    ["A='open\n", 1, 3],
    ['A="x" trailing\n', 1, 7],
    ["=1\n", 1, 1],
  ])("malformed %j is a SYNTAX error at line %i, column %i", (input, line, column) => {
    expect(thrown(() => envFormat.decode(input, defaultParseLimits))).toMatchObject({
      code: "SYNTAX",
      line,
      column,
    });
  });

  // A lone CR used to stop the parser from moving on: it spun for ever on a text ending in one.
  it.each([
    ["A=1\r", { A: "1\r" }],
    ["# comment\r", {}],
    ["A=1\r\nB=2\r\n", { A: "1", B: "2" }],
  ])("a CR that is not before an LF is text: %j reads back and round-trips", (input, expected) => {
    expect(view(input)).toEqual(expected);
    const decoded = envFormat.decode(input, defaultParseLimits);
    expect(decoded.encode([parse(decoded.yaml)])).toBe(input);
  });

  it.each([
    ["\r", 1, 1],
    ["A=1\n\r", 2, 1],
    ['A="x"\r', 1, 6],
  ])(
    "a lone CR where a line must start or end, %j, is a SYNTAX error at line %i, column %i",
    (input, line, column) => {
      expect(thrown(() => envFormat.decode(input, defaultParseLimits))).toMatchObject({
        code: "SYNTAX",
        line,
        column,
      });
    },
  );

  it("refuses a repeated key and text over the size limit", () => {
    expect(thrown(() => envFormat.decode("A=1\nexport A=2\n", defaultParseLimits))).toMatchObject({
      code: "DUPLICATE_KEY",
      line: 2,
      column: 8,
    });
    expect(
      thrown(() => envFormat.decode("A=123456\n", { ...defaultParseLimits, maxBytes: 8 })),
    ).toMatchObject({
      code: "TOO_LARGE",
    });
  });
});

describe("AppConfig/Env properties", () => {
  it("a single-value edit changes only that value's bytes and reads back as the new value", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...valid),
        fc.nat(),
        fc.string({ unit: "binary", maxLength: 12 }).filter((s) => !s.includes("\0")),
        ([, text], pick, value) => {
          const { entries } = parseEnv(text);
          fc.pre(entries.length > 0);
          const entry = entries[pick % entries.length]!;
          const edited = edit(text, (v) => (v[entry.key] = value));
          expect(edited.startsWith(text.slice(0, entry.valueStart))).toBe(true);
          expect(edited.endsWith(text.slice(entry.valueEnd))).toBe(true);
          expect(view(edited)).toEqual({ ...view(text), [entry.key]: value });
        },
      ),
      { numRuns: 200 },
    );
  });

  it("removing a key removes exactly its lines", () => {
    fc.assert(
      fc.property(fc.constantFrom(...valid), fc.nat(), ([, text], pick) => {
        const { entries } = parseEnv(text);
        fc.pre(entries.length > 0);
        const entry = entries[pick % entries.length]!;
        const edited = edit(text, (v) => delete v[entry.key]);
        expect(edited).toBe(text.slice(0, entry.lineStart) + text.slice(entry.lineEnd));
      }),
    );
  });
});

describe("AppConfig/Env robustness", () => {
  it("adding, changing and removing variables gives a file that reads back as the edited view", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...valid),
        fc.array(
          fc.tuple(
            fc.constantFrom("set", "remove"),
            fc.nat(),
            fc.constantFrom("NEW", "other.key", "X-1"),
            fc.string({ unit: "binary", maxLength: 8 }).filter((s) => !s.includes("\0")),
          ),
          { minLength: 1, maxLength: 4 },
        ),
        ([, text], operations) => {
          const expected = view(text);
          for (const [operation, pick, newKey, value] of operations) {
            const keys = Object.keys(expected);
            const key = keys.length > 0 && pick % 3 !== 0 ? keys[pick % keys.length]! : newKey;
            if (operation === "remove") delete expected[key];
            else expected[key] = value;
          }
          const edited = envFormat.decode(text, defaultParseLimits).encode([expected]);
          expect(view(edited)).toEqual(expected);
        },
      ),
    );
  });

  it("random damage to a real file is a ConfigError or parses and round-trips, never another exception", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...valid),
        fc.nat(),
        fc.nat({ max: 6 }),
        fc.string({ unit: "binary", maxLength: 4 }),
        ([, text], at, cut, insert) => {
          const position = at % (text.length + 1);
          const damaged = text.slice(0, position) + insert + text.slice(position + cut);
          let decoded;
          try {
            decoded = envFormat.decode(damaged, defaultParseLimits);
          } catch (error) {
            expect(error).toBeInstanceOf(ConfigError);
            expect((error as ConfigError).line).toBeGreaterThan(0);
            return;
          }
          expect(decoded.encode([parse(decoded.yaml)])).toBe(damaged);
        },
      ),
      { numRuns: 400 },
    );
  });
});
