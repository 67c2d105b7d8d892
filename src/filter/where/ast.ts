// The syntax tree of a `where` expression: immutable nodes with a `kind`, built only through the
// factories below (the grammar calls them too), in the style of kysely's operation nodes. Every node
// keeps the span of source text it came from, so later stages can point at it in errors.

/** A run of source text: 0-based offset and length. */
export interface Span {
  readonly offset: number;
  readonly length: number;
}

import type { BinaryOperator } from "../operators.ts";

export type { BinaryOperator, ComparisonOperator, PatternOperator, RegexOperator } from "../operators.ts";

export interface AttributeRefNode {
  readonly kind: "AttributeRefNode";
  /** The name as written, before any map key: `Labels` in `Labels.tier`. */
  readonly name: string;
  /** The text after the first dot, if any: `tier` in `Labels.tier`. */
  readonly key: string | undefined;
  readonly span: Span;
}

export interface LengthNode {
  readonly kind: "LengthNode";
  readonly attribute: AttributeRefNode;
  readonly span: Span;
}

export interface StringLiteralNode {
  readonly kind: "StringLiteralNode";
  /** The value with `''` already turned into `'`. */
  readonly value: string;
  readonly span: Span;
}

export interface IntegerLiteralNode {
  readonly kind: "IntegerLiteralNode";
  /** The digits as written (with a leading `-`, if any): range is checked against the attribute. */
  readonly digits: string;
  readonly span: Span;
}

export interface BooleanLiteralNode {
  readonly kind: "BooleanLiteralNode";
  readonly value: boolean;
  readonly span: Span;
}

export type LiteralNode = StringLiteralNode | IntegerLiteralNode | BooleanLiteralNode;
export type ValueNode = AttributeRefNode | LengthNode;
export type OperandNode = ValueNode | LiteralNode;

/** `left op right`: comparisons, LIKE family and regex matches. */
export interface BinaryNode {
  readonly kind: "BinaryNode";
  readonly left: ValueNode;
  readonly operator: BinaryOperator;
  /** The operator as written (`~~` is LIKE, `!~~` is NOT LIKE): quoted in errors. */
  readonly operatorText: string;
  readonly operatorSpan: Span;
  readonly right: OperandNode;
  readonly span: Span;
}

/** `subject [NOT] IN (literal, ...)`. */
export interface InListNode {
  readonly kind: "InListNode";
  readonly subject: ValueNode;
  readonly negated: boolean;
  readonly operatorSpan: Span;
  readonly items: readonly LiteralNode[];
  readonly span: Span;
}

/** `Attr ? 'element'`: array membership or map key existence. */
export interface HasNode {
  readonly kind: "HasNode";
  readonly subject: AttributeRefNode;
  readonly operatorSpan: Span;
  readonly element: StringLiteralNode;
  readonly span: Span;
}

/** `Attr IS [NOT] NULL`. */
export interface NullTestNode {
  readonly kind: "NullTestNode";
  readonly subject: AttributeRefNode;
  readonly negated: boolean;
  readonly operatorSpan: Span;
  readonly span: Span;
}

/** `<condition or boolean attribute> IS [NOT] TRUE|FALSE`: SQL's three-valued truth test. */
export interface TruthTestNode {
  readonly kind: "TruthTestNode";
  readonly subject: BinaryNode | InListNode | HasNode | AttributeRefNode;
  readonly negated: boolean;
  readonly truth: boolean;
  readonly operatorSpan: Span;
  readonly span: Span;
}

export type RelationNode = BinaryNode | InListNode | HasNode | NullTestNode | TruthTestNode;

/** The whole expression: relations joined by AND. */
export interface WhereNode {
  readonly kind: "WhereNode";
  readonly relations: readonly RelationNode[];
  readonly span: Span;
}

const freeze = Object.freeze;

export function span(offset: number, length: number): Span {
  return freeze({ offset, length });
}

export const whereNodes = freeze({
  span,
  where(relations: readonly RelationNode[], at: Span): WhereNode {
    return freeze({ kind: "WhereNode", relations: freeze([...relations]), span: at });
  },
  attributeRef(name: string, key: string | undefined, at: Span): AttributeRefNode {
    return freeze({ kind: "AttributeRefNode", name, key, span: at });
  },
  length(attribute: AttributeRefNode, at: Span): LengthNode {
    return freeze({ kind: "LengthNode", attribute, span: at });
  },
  string(value: string, at: Span): StringLiteralNode {
    return freeze({ kind: "StringLiteralNode", value, span: at });
  },
  integer(digits: string, at: Span): IntegerLiteralNode {
    return freeze({ kind: "IntegerLiteralNode", digits, span: at });
  },
  boolean(value: boolean, at: Span): BooleanLiteralNode {
    return freeze({ kind: "BooleanLiteralNode", value, span: at });
  },
  binary(
    left: ValueNode,
    operator: BinaryOperator,
    operatorText: string,
    operatorSpan: Span,
    right: OperandNode,
    at: Span,
  ): BinaryNode {
    return freeze({ kind: "BinaryNode", left, operator, operatorText, operatorSpan, right, span: at });
  },
  inList(
    subject: ValueNode,
    negated: boolean,
    operatorSpan: Span,
    items: readonly LiteralNode[],
    at: Span,
  ): InListNode {
    return freeze({
      kind: "InListNode",
      subject,
      negated,
      operatorSpan,
      items: freeze([...items]),
      span: at,
    });
  },
  has(subject: AttributeRefNode, operatorSpan: Span, element: StringLiteralNode, at: Span): HasNode {
    return freeze({ kind: "HasNode", subject, operatorSpan, element, span: at });
  },
  nullTest(subject: AttributeRefNode, negated: boolean, operatorSpan: Span, at: Span): NullTestNode {
    return freeze({ kind: "NullTestNode", subject, negated, operatorSpan, span: at });
  },
  truthTest(
    subject: TruthTestNode["subject"],
    negated: boolean,
    truth: boolean,
    operatorSpan: Span,
    at: Span,
  ): TruthTestNode {
    return freeze({ kind: "TruthTestNode", subject, negated, truth, operatorSpan, span: at });
  },
});
