// The `where` grammar: the shapes it accepts and the syntax errors it gives (column, quoted text, hint).
import { describe, expect, it } from "vitest";
import { FilterError, FilterErrorCode } from "../../src/filter/errors.ts";
import { parseWhere, MAX_WHERE_LENGTH, type RelationNode } from "../../src/filter/where/index.ts";

function relations(source: string): readonly RelationNode[] {
  return parseWhere(source).relations;
}

function syntaxError(source: string): FilterError {
  try {
    parseWhere(source);
  } catch (error) {
    if (error instanceof FilterError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(source)} not to parse`);
}

describe("where grammar", () => {
  it("parses relations joined by AND", () => {
    const parsed = relations(
      "Labels.tier = 'backend' AND HeadRevisionNum > LiveRevisionNum AND LEN(ApprovedBy) > 0",
    );
    expect(parsed.map((r) => r.kind)).toEqual(["BinaryNode", "BinaryNode", "BinaryNode"]);
    const [labels, revisions, length] = parsed;
    expect(labels).toMatchObject({
      left: { kind: "AttributeRefNode", name: "Labels", key: "tier", span: { offset: 0, length: 11 } },
      operator: "=",
      right: { kind: "StringLiteralNode", value: "backend", span: { offset: 14, length: 9 } },
    });
    expect(revisions).toMatchObject({
      left: { name: "HeadRevisionNum" },
      operator: ">",
      right: { kind: "AttributeRefNode", name: "LiveRevisionNum" },
    });
    expect(length).toMatchObject({
      left: { kind: "LengthNode", attribute: { name: "ApprovedBy" } },
      right: { kind: "IntegerLiteralNode", digits: "0" },
    });
  });

  it.each([
    ["=", "="],
    ["!=", "!="],
    ["<", "<"],
    ["<=", "<="],
    [">", ">"],
    [">=", ">="],
    ["LIKE", "LIKE"],
    ["~~", "LIKE"],
    ["NOT LIKE", "NOT LIKE"],
    ["!~~", "NOT LIKE"],
    ["ILIKE", "ILIKE"],
    ["~~*", "ILIKE"],
    ["NOT ILIKE", "NOT ILIKE"],
    ["!~~*", "NOT ILIKE"],
    ["~", "~"],
    ["~*", "~*"],
    ["!~", "!~"],
    ["!~*", "!~*"],
  ])("reads operator %s as %s", (written, canonical) => {
    const [relation] = relations(`Slug ${written} 'x'`);
    expect(relation).toMatchObject({ kind: "BinaryNode", operator: canonical, operatorText: written });
  });

  it("reads operators without surrounding spaces", () => {
    expect(relations("Slug='a'AND HeadRevisionNum>=2")).toHaveLength(2);
  });

  it("parses IN and NOT IN lists", () => {
    const [inList, notIn] = relations("Slug IN ('a', 'b') AND HeadRevisionNum NOT IN (1,2, 3)");
    expect(inList).toMatchObject({
      kind: "InListNode",
      negated: false,
      items: [{ value: "a" }, { value: "b" }],
    });
    expect(notIn).toMatchObject({
      kind: "InListNode",
      negated: true,
      items: [{ digits: "1" }, { digits: "2" }, { digits: "3" }],
    });
  });

  it("parses ?, IS [NOT] NULL and IS [NOT] TRUE|FALSE", () => {
    const [has, isNull, notNull, truth, bare] = relations(
      "ApprovedBy ? 'x' AND Labels.tier IS NULL AND Labels.tier IS NOT NULL AND TargetID = 'x' IS NOT FALSE AND Disabled IS TRUE",
    );
    expect(has).toMatchObject({ kind: "HasNode", subject: { name: "ApprovedBy" }, element: { value: "x" } });
    expect(isNull).toMatchObject({
      kind: "NullTestNode",
      negated: false,
      subject: { name: "Labels", key: "tier" },
    });
    expect(notNull).toMatchObject({ kind: "NullTestNode", negated: true });
    expect(truth).toMatchObject({
      kind: "TruthTestNode",
      negated: true,
      truth: false,
      subject: { kind: "BinaryNode", operator: "=" },
    });
    expect(bare).toMatchObject({
      kind: "TruthTestNode",
      negated: false,
      truth: true,
      subject: { kind: "AttributeRefNode" },
    });
  });

  it("reads map keys with / . - _ in them", () => {
    const [a, b, c] = relations(
      "Labels.app.kubernetes.io/name = 'x' AND ApplyGates.p/no-critical-cves/vet-celexpr = true AND Values.Replicas/replicas > '3'",
    );
    expect(a).toMatchObject({ left: { name: "Labels", key: "app.kubernetes.io/name" } });
    expect(b).toMatchObject({
      left: { name: "ApplyGates", key: "p/no-critical-cves/vet-celexpr" },
      right: { value: true },
    });
    expect(c).toMatchObject({ left: { name: "Values", key: "Replicas/replicas" } });
  });

  it("writes a quote inside a string literal as two quotes", () => {
    const [relation] = relations("DisplayName = 'it''s ''quoted'''");
    expect(relation).toMatchObject({ right: { value: "it's 'quoted'" } });
  });

  it("reads integers, negative integers and booleans", () => {
    const [a, b, c, d] = relations(
      "HeadRevisionNum = 42 AND HeadRevisionNum > -1 AND Disabled = true AND Warn != FALSE",
    );
    expect(a).toMatchObject({ right: { kind: "IntegerLiteralNode", digits: "42" } });
    expect(b).toMatchObject({ right: { kind: "IntegerLiteralNode", digits: "-1" } });
    expect(c).toMatchObject({ right: { kind: "BooleanLiteralNode", value: true } });
    expect(d).toMatchObject({ right: { kind: "BooleanLiteralNode", value: false } });
  });

  it("accepts newlines and tabs as whitespace", () => {
    expect(relations("Slug = 'a'\n\tAND\n  Slug != 'b'")).toHaveLength(2);
  });

  it("returns frozen nodes", () => {
    const tree = parseWhere("Slug = 'a'");
    expect(Object.isFrozen(tree)).toBe(true);
    expect(Object.isFrozen(tree.relations)).toBe(true);
    expect(Object.isFrozen(tree.relations[0])).toBe(true);
  });

  it.each([
    ["", "where: unexpected end of expression at column 1 (expected attribute or LEN(attribute))"],
    ["Slug", "where: unexpected end of expression at column 5 (expected IS, IN or NOT IN, ? or operator)"],
    [
      "Slug = ",
      "where: unexpected end of expression at column 8 (expected literal, LEN(attribute) or attribute)",
    ],
    ["Slug = 'a' Foo", "where: unexpected 'Foo' at column 12 (expected IS, AND or end of expression)"],
    [
      "Slug = 'a' and Slug = 'b'",
      "where: unexpected 'and' at column 12 (expected IS, AND or end of expression; keywords are upper case: AND)",
    ],
    [
      "Slug = 'a' OR Slug = 'b'",
      "where: unexpected 'OR' at column 12 (expected IS, AND or end of expression; only AND can join conditions)",
    ],
    [
      "(Slug = 'a')",
      "where: unexpected '(' at column 1 (expected attribute or LEN(attribute); parentheses are not supported)",
    ],
    ["Slug IN ()", "where: unexpected ')' at column 10 (expected literal)"],
    ["Slug IN ('a',)", "where: unexpected ')' at column 14 (expected literal)"],
    ["Slug = 1x", "where: unexpected '1x' at column 8 (expected literal, LEN(attribute) or attribute)"],
    ["Slug == 'a'", "where: unexpected '=' at column 7 (expected literal, LEN(attribute) or attribute)"],
    ["Labels.x IS NOTHING", "where: unexpected 'NOTHING' at column 13 (expected NULL, TRUE or FALSE)"],
    ["Slug = 'a' IS NULL", "where: unexpected 'NULL' at column 15 (expected NOT, TRUE or FALSE)"],
  ])("rejects %j: %s", (source, message) => {
    const error = syntaxError(source);
    expect(error.message).toBe(message);
    expect(error.code).toBe(FilterErrorCode.Syntax);
  });

  it("reports an unterminated string where it starts, with how to write a quote", () => {
    const error = syntaxError("Slug = 'a' AND DisplayName = 'it''s");
    expect(error.code).toBe(FilterErrorCode.UnterminatedString);
    expect(error.column).toBe(30);
    expect(error.message).toBe(
      "where: unterminated string literal 'it''s at column 30 (end it with a single quote; write a quote inside a string as '')",
    );
    const whole = syntaxError("Slug = 'abc");
    expect(whole.message).toBe(
      "where: unterminated string literal 'abc at column 8 (end it with a single quote; write a quote inside a string as '')",
    );
  });

  it("names line and column in a multi-line expression", () => {
    expect(syntaxError("Slug = 'a'\nAND Slug = ").message).toBe(
      "where: unexpected end of expression at line 2, column 12 (expected literal, LEN(attribute) or attribute)",
    );
  });

  it(`rejects expressions longer than ${MAX_WHERE_LENGTH} characters`, () => {
    const source = `Slug IN (${Array.from({ length: 1000 }, (_, i) => `'s${i}'`).join(",")})`;
    const error = syntaxError(source);
    expect(error.code).toBe(FilterErrorCode.TooLong);
    expect(error.message).toBe(`where: expression is ${source.length} characters long (the limit is 4096)`);
  });
});
