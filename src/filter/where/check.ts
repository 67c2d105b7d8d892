// Stage 2 of `where`: resolve attributes against an entity's catalogue and type every relation.
// Unknown attributes (with the nearest name), operators that do not apply to a type and literals of
// the wrong type are FilterErrors that point at the offending text.
import {
  describeType,
  type AttributeSpec,
  type AttributeType,
  type Catalogue,
  type ScalarType,
} from "../catalogue/index.ts";
import { FilterError, FilterErrorCode, quote, type FilterErrorInit } from "../errors.ts";
import { endsWithLoneEscape } from "../like.ts";
import { compileFilterRegex } from "../regex/filter-regex.ts";
import { nearestName } from "../suggest.ts";
import { parseInstant } from "../time.ts";
import { normaliseUuid } from "../uuid.ts";
import type {
  AttributeRefNode,
  BinaryNode,
  ComparisonOperator,
  HasNode,
  InListNode,
  LiteralNode,
  NullTestNode,
  OperandNode,
  RelationNode,
  Span,
  TruthTestNode,
  ValueNode,
  WhereNode,
} from "./ast.ts";
import type { CheckedWhere, Literal, Predicate, ValueRef } from "./checked.ts";

/** Which operators each type takes (ConfigHub's OpenAPI `where` description). */
const OPERATORS: Readonly<Record<ScalarType, readonly string[]>> = {
  string: [
    "=",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "LIKE",
    "NOT LIKE",
    "ILIKE",
    "NOT ILIKE",
    "~",
    "~*",
    "!~",
    "!~*",
    "IN",
    "NOT IN",
  ],
  int: ["=", "!=", "<", "<=", ">", ">=", "IN", "NOT IN"],
  // The CLI sends `UnitID IN ('…')`, so UUIDs take IN as well as = and !=.
  uuid: ["=", "!=", "IN", "NOT IN"],
  bool: ["=", "!="],
  time: ["=", "!=", "<", "<=", ">", ">="],
};

const COMPARISONS = new Set<string>(["=", "!=", "<", "<=", ">", ">="]);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A resolved attribute reference: a scalar value, or a map/array (with a key for map values). */
interface Resolved {
  readonly attribute: AttributeSpec;
  readonly key: string | undefined;
  readonly node: AttributeRefNode;
}

export function checkWhere(ast: WhereNode, catalogue: Catalogue, source: string): CheckedWhere {
  const checker = new Checker(catalogue, source);
  const predicates = ast.relations.map((relation) => checker.relation(relation));
  return Object.freeze({
    source,
    catalogue,
    predicates: Object.freeze(predicates),
    usesRegex: predicates.some(usesRegex),
  });
}

function usesRegex(predicate: Predicate): boolean {
  return predicate.kind === "regex" || (predicate.kind === "truth" && usesRegex(predicate.predicate));
}

class Checker {
  constructor(
    private readonly catalogue: Catalogue,
    private readonly source: string,
  ) {}

  relation(node: RelationNode): Predicate {
    switch (node.kind) {
      case "BinaryNode":
        return this.binary(node);
      case "InListNode":
        return this.inList(node);
      case "HasNode":
        return this.has(node);
      case "NullTestNode":
        return this.nullTest(node);
      case "TruthTestNode":
        return this.truthTest(node);
    }
  }

  private binary(node: BinaryNode): Predicate {
    const left = this.value(node.left, node.operatorText, node.operatorSpan);
    this.requireOperator(left, node.operator, node.operatorText, node.operatorSpan);
    const op = node.operator;
    if (COMPARISONS.has(op)) {
      const right =
        node.right.kind === "AttributeRefNode" || node.right.kind === "LengthNode"
          ? this.value(node.right, node.operatorText, node.operatorSpan)
          : this.literal(node.right, left);
      if (right.kind !== "literal" && right.type !== left.type) {
        this.fail({
          code: FilterErrorCode.OperandTypes,
          offset: node.span.offset,
          length: node.span.length,
          problem: `cannot compare ${describeValue(left)} with ${describeValue(right)}`,
        });
      }
      return freeze({
        kind: "compare",
        type: left.type,
        left,
        operator: op as ComparisonOperator,
        right,
        span: node.span,
      });
    }
    const pattern = this.patternLiteral(node.right, node.operatorText);
    if (op === "LIKE" || op === "NOT LIKE" || op === "ILIKE" || op === "NOT ILIKE") {
      if (endsWithLoneEscape(pattern.value)) {
        this.fail({
          code: FilterErrorCode.InvalidLike,
          offset: pattern.span.offset,
          length: pattern.span.length,
          problem: `LIKE pattern ${quote(pattern.value)} ends with a lone backslash`,
          hint: "a backslash escapes the next character; write \\\\ for a backslash",
        });
      }
      return freeze({
        kind: "like",
        subject: left,
        pattern: pattern.value,
        caseInsensitive: op.endsWith("ILIKE"),
        negated: op.startsWith("NOT"),
        span: node.span,
      });
    }
    const compiled = compileFilterRegex(
      pattern.value,
      op.endsWith("*"),
      pattern.span,
      this.source.slice(pattern.span.offset, pattern.span.offset + pattern.span.length),
    );
    if (!compiled.ok) this.fail(compiled.error);
    return freeze({
      kind: "regex",
      subject: left,
      regex: compiled.regex,
      negated: op.startsWith("!"),
      patternSpan: pattern.span,
      span: node.span,
    });
  }

  private inList(node: InListNode): Predicate {
    const operatorText = node.negated ? "NOT IN" : "IN";
    const subject = this.value(node.subject, operatorText, node.operatorSpan);
    this.requireOperator(subject, operatorText, operatorText, node.operatorSpan);
    const values = node.items.map((item) => this.literal(item, subject));
    return freeze({
      kind: "in",
      type: subject.type,
      subject,
      negated: node.negated,
      values: Object.freeze(values),
      span: node.span,
    });
  }

  private has(node: HasNode): Predicate {
    const resolved = this.resolve(node.subject);
    const { attribute } = resolved;
    if (resolved.key !== undefined || attribute.type.kind === "scalar") {
      this.fail({
        code: FilterErrorCode.OperatorType,
        offset: node.operatorSpan.offset,
        length: node.operatorSpan.length,
        problem: `operator '?' does not apply to ${describeResolved(resolved)}`,
        hint: "? tests membership in an array or the presence of a map key",
      });
    }
    let element = node.element.value;
    if (attribute.type.kind === "array" && attribute.type.element === "uuid") {
      element = this.uuid(node.element.value, node.element.span);
    }
    return freeze({ kind: "has", attribute, element, span: node.span });
  }

  private nullTest(node: NullTestNode): Predicate {
    const resolved = this.resolve(node.subject);
    const subject = this.valueOrUndefined(resolved);
    const isMapValue = subject?.kind === "mapValue";
    if (!subject || subject.kind === "length" || (!isMapValue && !resolved.attribute.nullable)) {
      const operator = node.negated ? "IS NOT NULL" : "IS NULL";
      this.fail({
        code: FilterErrorCode.OperatorType,
        offset: node.operatorSpan.offset,
        length: node.operatorSpan.length,
        problem: `${operator} does not apply to ${describeResolved(resolved)}`,
        hint:
          resolved.attribute.type.kind === "map"
            ? `name a key: ${resolved.attribute.name}.<key> ${operator}`
            : `${operator} tests map keys and optional attributes; ${quote(resolved.attribute.name)} is never null`,
      });
    }
    return freeze({ kind: "isNull", subject, negated: node.negated, span: node.span });
  }

  private truthTest(node: TruthTestNode): Predicate {
    let predicate: Predicate;
    if (node.subject.kind === "AttributeRefNode") {
      const resolved = this.resolve(node.subject);
      const value = this.valueOrUndefined(resolved);
      if (!value || value.type !== "bool") {
        this.fail({
          code: FilterErrorCode.OperatorType,
          offset: node.operatorSpan.offset,
          length: node.operatorSpan.length,
          problem: `IS ${node.negated ? "NOT " : ""}${node.truth ? "TRUE" : "FALSE"} does not apply to ${describeResolved(resolved)}`,
          hint: "it tests a condition or a boolean attribute",
        });
      }
      // `Disabled IS FALSE` is `(Disabled = true) IS FALSE`: the same three-valued result.
      const truth: Literal = { kind: "literal", type: "bool", value: true, span: node.subject.span };
      predicate = freeze({
        kind: "compare",
        type: "bool",
        left: value,
        operator: "=",
        right: truth,
        span: node.subject.span,
      });
    } else {
      predicate = this.relation(node.subject);
    }
    return freeze({ kind: "truth", predicate, truth: node.truth, negated: node.negated, span: node.span });
  }

  /** A value operand; maps without a key and arrays are refused with the operator that needed a value. */
  private value(node: ValueNode, operatorText: string, operatorSpan: Span): ValueRef {
    if (node.kind === "LengthNode") {
      const resolved = this.resolve(node.attribute);
      if (resolved.key !== undefined || resolved.attribute.type.kind === "scalar") {
        this.fail({
          code: FilterErrorCode.OperatorType,
          offset: node.span.offset,
          length: node.span.length,
          problem: `LEN() does not apply to ${describeResolved(resolved)}`,
          hint: "LEN() counts the elements of an array or the keys of a map",
        });
      }
      return freeze({ kind: "length", attribute: resolved.attribute, type: "int", span: node.span });
    }
    const resolved = this.resolve(node);
    const value = this.valueOrUndefined(resolved);
    if (!value) {
      const type = resolved.attribute.type;
      this.fail({
        code: FilterErrorCode.OperatorType,
        offset: operatorSpan.offset,
        length: operatorSpan.length,
        problem: `operator ${quote(operatorText)} does not apply to ${describeResolved(resolved)}`,
        hint:
          type.kind === "map"
            ? `compare one key, as in ${resolved.attribute.name}.<key>, or use ?, LEN() or IS NULL`
            : "arrays take ? and LEN()",
      });
    }
    return value;
  }

  private valueOrUndefined(resolved: Resolved): ValueRef | undefined {
    const { attribute, key, node } = resolved;
    const type: AttributeType = attribute.type;
    if (type.kind === "scalar") {
      return freeze({ kind: "attribute", attribute, type: type.type, span: node.span });
    }
    if (type.kind === "map" && key !== undefined) {
      return freeze({ kind: "mapValue", attribute, key, type: type.value, span: node.span });
    }
    return undefined;
  }

  private resolve(node: AttributeRefNode): Resolved {
    const { attributes, unsupported, entity } = this.catalogue;
    if (node.key !== undefined) {
      const dotted = attributes.get(`${node.name}.${node.key}`);
      if (dotted) return { attribute: dotted, key: undefined, node };
    }
    const attribute = attributes.get(node.name);
    if (!attribute) {
      if (unsupported.has(node.name)) {
        this.fail({
          code: FilterErrorCode.UnsupportedAttribute,
          offset: node.span.offset,
          length: node.name.length,
          problem: `attribute ${quote(node.name)} of ${entity} is not supported by confn`,
        });
      }
      const written = node.key !== undefined ? `${node.name}.${node.key}` : node.name;
      const dottedNames = [...attributes.keys()].filter((name) => name.includes("."));
      const suggestion =
        node.key !== undefined && dottedNames.some((name) => name.startsWith(`${node.name}.`))
          ? nearestName(written, dottedNames)
          : nearestName(node.name, attributes.keys());
      const length = suggestion?.includes(".") ? written.length : node.name.length;
      this.fail({
        code: FilterErrorCode.UnknownAttribute,
        offset: node.span.offset,
        length,
        problem: `unknown attribute ${quote(this.source.slice(node.span.offset, node.span.offset + length))}`,
        ...(suggestion ? { hint: `did you mean ${quote(suggestion)}?`, suggestion } : {}),
      });
    }
    if (node.key !== undefined && attribute.type.kind !== "map") {
      this.fail({
        code: FilterErrorCode.NotAMap,
        offset: node.span.offset + node.name.length,
        length: node.key.length + 1,
        problem: `${quote(`.${node.key}`)} names a key, but ${describeType(attribute.type)} attribute ${quote(node.name)} has no keys`,
      });
    }
    return { attribute, key: node.key, node };
  }

  private requireOperator(value: ValueRef, operator: string, written: string, at: Span): void {
    const allowed = OPERATORS[value.type];
    if (!allowed.includes(operator)) {
      this.fail({
        code: FilterErrorCode.OperatorType,
        offset: at.offset,
        length: at.length,
        problem: `operator ${quote(written)} does not apply to ${describeValue(value)}`,
        hint: `${typeName(value.type)} values take ${allowed.join(", ")}`,
      });
    }
  }

  private patternLiteral(node: OperandNode, operatorText: string): { value: string; span: Span } {
    if (node.kind !== "StringLiteralNode") {
      this.fail({
        code: FilterErrorCode.LiteralType,
        offset: node.span.offset,
        length: node.span.length,
        problem: `${quote(operatorText)} needs a string literal pattern, not ${quote(this.text(node.span))}`,
        hint: "write the pattern in single quotes",
      });
    }
    return { value: node.value, span: node.span };
  }

  /** Converts a literal to the subject's type, or explains why it cannot be. */
  private literal(node: LiteralNode, subject: ValueRef): Literal {
    const type = subject.type;
    const wrongType = (hint: string): never =>
      this.fail({
        code: FilterErrorCode.LiteralType,
        offset: node.span.offset,
        length: node.span.length,
        problem: `${describeValue(subject)} cannot be compared with ${literalKind(node)} ${this.text(node.span)}`,
        hint,
      });
    switch (type) {
      case "string":
        if (node.kind !== "StringLiteralNode") return wrongType("quote it: 'text'");
        return freeze({ kind: "literal", type, value: node.value, span: node.span });
      case "int": {
        if (node.kind !== "IntegerLiteralNode") return wrongType("write the number without quotes");
        const value = BigInt(node.digits);
        if (value > MAX_SAFE || value < -MAX_SAFE) {
          this.fail({
            code: FilterErrorCode.IntegerRange,
            offset: node.span.offset,
            length: node.span.length,
            problem: `integer ${node.digits} is out of range`,
            hint: `integers must lie within ±${Number.MAX_SAFE_INTEGER}`,
          });
        }
        return freeze({ kind: "literal", type, value: Number(value), span: node.span });
      }
      case "bool":
        if (node.kind !== "BooleanLiteralNode") return wrongType("write true or false");
        return freeze({ kind: "literal", type, value: node.value, span: node.span });
      case "uuid":
        if (node.kind !== "StringLiteralNode") return wrongType("quote the UUID: '<uuid>'");
        return freeze({ kind: "literal", type, value: this.uuid(node.value, node.span), span: node.span });
      case "time": {
        if (node.kind !== "StringLiteralNode") return wrongType("quote the time: '2025-02-18T23:16:34Z'");
        const instant = parseInstant(node.value);
        if (!instant) {
          this.fail({
            code: FilterErrorCode.InvalidTime,
            offset: node.span.offset,
            length: node.span.length,
            problem: `invalid time ${quote(node.value)}`,
            hint: "use RFC 3339, e.g. '2025-02-18T23:16:34Z'; a time without a zone is UTC",
          });
        }
        return freeze({ kind: "literal", type, value: instant, span: node.span });
      }
    }
  }

  private uuid(text: string, at: Span): string {
    const uuid = normaliseUuid(text);
    if (uuid === undefined) {
      this.fail({
        code: FilterErrorCode.InvalidUuid,
        offset: at.offset,
        length: at.length,
        problem: `invalid UUID ${quote(text)}`,
        hint: "write 8-4-4-4-12 hexadecimal digits, e.g. '7c61626f-ddbe-41af-93f6-b69f4ab6d308'",
      });
    }
    return uuid;
  }

  private text(at: Span): string {
    return this.source.slice(at.offset, at.offset + at.length);
  }

  private fail(init: Omit<FilterErrorInit, "language" | "source">): never {
    throw new FilterError({ ...init, language: "where", source: this.source });
  }
}

function freeze<const T extends object>(value: T): T {
  return Object.freeze(value);
}

function typeName(type: ScalarType): string {
  return type === "int" ? "integer" : type;
}

function describeValue(value: ValueRef | Literal): string {
  switch (value.kind) {
    case "attribute":
      return `${typeName(value.type)} attribute ${quote(value.attribute.name)}`;
    case "mapValue":
      return `${typeName(value.type)} value ${quote(`${value.attribute.name}.${value.key}`)}`;
    case "length":
      return `integer LEN(${value.attribute.name})`;
    case "literal":
      return `${typeName(value.type)} literal`;
  }
}

function describeResolved(resolved: Resolved): string {
  const { attribute, key } = resolved;
  if (key !== undefined && attribute.type.kind === "map") {
    return `${attribute.type.value} value ${quote(`${attribute.name}.${key}`)}`;
  }
  return `${describeType(attribute.type)} attribute ${quote(attribute.name)}`;
}

function literalKind(node: LiteralNode): string {
  switch (node.kind) {
    case "StringLiteralNode":
      return "string literal";
    case "IntegerLiteralNode":
      return "integer literal";
    case "BooleanLiteralNode":
      return "boolean literal";
  }
}
