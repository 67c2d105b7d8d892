// Malformed HCL is a ConfigError with its line and column; size and nesting limits hold as for YAML,
// and no input makes the parser overflow the stack.
import { describe, expect, it } from "vitest";
import { ConfigError, defaultParseLimits, type ParseLimits } from "../../../src/config/index.ts";
import { hclFormat } from "../../../src/config/native/hcl/hcl-format.ts";
import { thrown } from "../../support/thrown.ts";

const decodeError = (text: string, limits: ParseLimits = defaultParseLimits) =>
  thrown<ConfigError>(() => hclFormat.decode(text, limits));

describe("malformed HCL", () => {
  it.each([
    ['resource "a" "b" {\n  x = \n}\n', 3, 1],
    ['resource "a" "b" {\n  x = 1\n', 3, 1],
    ['resource "a" "b" {\n  x = "unterminated\n}\n', 2, 20],
    ["locals {\n  a = [1, 2\n}\n", 3, 1],
    ["locals {\n  a = 1 b = 2\n}\n", 2, 9],
    // Tuple items need commas, object items commas or line breaks, as in HCL.
    ["locals {\n  a = [1 2]\n}\n", 2, 10],
    ["locals {\n  a = { b = 1 c = 2 }\n}\n", 2, 15],
    ["locals {\n  a = [for x in y]\n}\n", 2, 18],
    ["locals {\n  = 1\n}\n", 2, 3],
    ["locals {\n  a = <<EOT\nno end\n}\n", 5, 1],
    ['locals {\n  a = "${var.x"\n}\n', 2, 15],
    ["}\n", 1, 1],
  ])("%j is a SYNTAX error at line %i, column %i", (text, line, column) => {
    const error = decodeError(text);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.code).toBe("SYNTAX");
    expect({ line: error.line, column: error.column }).toEqual({ line, column });
    expect(error.message).toContain(`line ${line}, column ${column}`);
  });

  it.each([
    ["locals {\n  a = [1 2]\n}\n", 'unexpected "2" (expected a comma or ])'],
    ["locals {\n  a = [1, 2\n}\n", 'unexpected "}" (expected a comma or ])'],
    ["locals {\n  a = { b = 1 c = 2 }\n}\n", 'unexpected "c" (expected a comma, a line break or })'],
    ["locals {\n  a = 1 b = 2\n}\n", 'unexpected "b" (expected a line break)'],
    ["locals {\n  a = f(1 2)\n}\n", 'unexpected "2" (expected a comma or ))'],
    ["locals {\n  a = f(1\n}\n", 'unexpected "}" (expected a comma or ))'],
    ["locals {\n  a = [for x in y]\n}\n", 'unexpected "]" (expected a : after the for clause)'],
    ["locals {\n  a = {for k, v in m k => v}\n}\n", 'unexpected "k" (expected a : after the for clause)'],
    ["locals {\n  a = [for x y : x]\n}\n", 'unexpected "y" (expected the word in)'],
  ])("%j says which separator is missing", (text, says) => {
    expect(decodeError(text).message).toContain(says);
  });

  it("refuses what the view cannot hold, naming where", () => {
    const twice = decodeError("locals {\n  a = 1\n  a = 2\n}\n");
    expect(twice).toMatchObject({ code: "SYNTAX", line: 3, column: 3 });
    expect(twice.message).toContain('attribute "a" is defined twice');
    expect(decodeError("locals {\n  a = 1\n  a {}\n}\n").message).toContain(
      '"a" is both an attribute and a block type',
    );
    expect(decodeError('locals {\n  b {}\n  b "x" {}\n}\n').message).toContain("different numbers of labels");
    expect(decodeError("locals {\n  o = { k = 1, k = 2 }\n}\n").message).toContain(
      'object key "k" is defined twice',
    );
  });
});

describe("HCL limits", () => {
  it("refuses text over maxBytes", () => {
    const error = decodeError("locals {\n  a = 1\n}\n", { ...defaultParseLimits, maxBytes: 10 });
    expect(error.code).toBe("TOO_LARGE");
    expect(error.message).toContain("limit of 10 bytes");
  });

  it("refuses nesting deeper than maxDepth, with the position", () => {
    const error = decodeError("locals {\n  a = [[[[1]]]]\n}\n", { ...defaultParseLimits, maxDepth: 3 });
    expect(error).toMatchObject({ code: "TOO_DEEP", line: 2, column: 9 });
    expect(
      hclFormat.decode("locals {\n  a = [[1]]\n}\n", { ...defaultParseLimits, maxDepth: 3 }).yaml,
    ).toContain("a:");
    const blocks = decodeError("a {\n b {\n  c {\n  }\n }\n}\n", { ...defaultParseLimits, maxDepth: 4 });
    expect(blocks).toMatchObject({ code: "TOO_DEEP", line: 3 });
  });

  it("counts labels as the levels they are in the view, naming the first one too deep", () => {
    const limits = { ...defaultParseLimits, maxDepth: 4 };
    // The metadata holds two labels; "c", "d", "e" and "f" are levels 2 to 5 under the document.
    expect(hclFormat.decode('b "a" "b" "c" "d" {\n}\n', limits).yaml).toContain("c:");
    expect(decodeError('b "a" "b" "c" "d" "e" "f" {\n}\n', limits)).toMatchObject({
      code: "TOO_DEEP",
      line: 1,
      column: 23,
    });
  });

  it("does not count brackets inside strings, comments and heredocs", () => {
    const text = 'locals {\n  a = "[[[[((("\n  # {{{{\n  b = <<EOT\n[[[[[\nEOT\n}\n';
    expect(hclFormat.decode(text, { ...defaultParseLimits, maxDepth: 3 }).yaml).toContain('a: "[[[[((("');
  });

  // Each of these once made the parser try the same nested text twice per level: 20 levels took
  // seconds, 64 (within the nesting limit) longer than anyone waits. Now each is one pass.
  it.each([
    ["calls in tuples", "[f(", ""],
    ["for expressions without their colon", "[for x in ", "1" + "]".repeat(60)],
    ["calls in objects", "{a = f(", ""],
    ["indexes in tuples", "[a[", ""],
    ["for objects without their arrow", "{for k in ", "k" + "}".repeat(60)],
  ])(
    "nested %s fail at once",
    (_what, open, close) => {
      const error = decodeError("locals {\n  a = " + open.repeat(60) + close + "\n}\n");
      expect(error.code).toBe("SYNTAX");
    },
    10_000,
  );

  it("still parses valid nesting to the limit: tuples and objects with separators, for expressions", () => {
    const tuple = "[for x in " + "[1, ".repeat(40) + "2" + "]".repeat(40) + " : x]";
    const object = "{\n" + "a = {\n".repeat(40) + "b = 1, c = [1,\n 2,]\n" + "}\n".repeat(40) + "}";
    const view = hclFormat.decode(`locals {\n  t = ${tuple}\n  o = ${object}\n}\n`, defaultParseLimits).yaml;
    expect(view).toContain('t: "${[for x in [1, [1, ');
    expect(view.match(/a:/g)).toHaveLength(40);
  });

  it.each([
    ["brackets", "locals {\n  a = " + "[".repeat(100_000) + "\n}\n"],
    ["parentheses", "locals {\n  a = " + "(".repeat(100_000) + "1" + ")".repeat(100_000) + "\n}\n"],
    ["conditionals", "locals {\n  a = " + "x ? y : ".repeat(100_000) + "z\n}\n"],
    ["interpolations", 'locals {\n  a = "' + '${"'.repeat(50_000) + '"\n}\n'],
    ["blocks", "a {\n".repeat(100_000)],
    // Each label past a top-level block's second is a map level of the view (this was a RangeError).
    ["labels", "b" + ' "l"'.repeat(3000) + " {\n}\n"],
    ["labels of nested blocks", "a {\n" + '  b "x" "y" {\n'.repeat(40) + "}\n".repeat(41)],
  ])("deeply nested %s are TOO_DEEP, not a stack overflow", (_what, text) => {
    expect(decodeError(text).code).toBe("TOO_DEEP");
  });
});
