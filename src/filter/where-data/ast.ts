// The syntax tree of a `where_data` expression: immutable nodes with a `kind`, built through the
// factories below (the grammar calls them). Paths are the shared path language's nodes
// (src/config/path/ast.ts), parsed by the shared grammar (grammar/path.peggy, rule PathPrefix).
import type { PathExpression } from "../../config/index.ts";
import { binaryOperatorSpellings, type BinaryOperator } from "../operators.ts";
import type { Span } from "../where/ast.ts";

export type { Span } from "../where/ast.ts";

/** `where`'s operators, and list membership. */
export type DataOperator = BinaryOperator | "IN" | "NOT IN";

export interface DataStringNode {
  readonly kind: "DataStringNode";
  readonly value: string;
  readonly span: Span;
}

export interface DataIntegerNode {
  readonly kind: "DataIntegerNode";
  readonly value: number;
  readonly span: Span;
}

export interface DataBooleanNode {
  readonly kind: "DataBooleanNode";
  readonly value: boolean;
  readonly span: Span;
}

/** `( 'a', b, 'c' )`: the items as text (IN compares the value's text, spec §2.2). */
export interface DataListNode {
  readonly kind: "DataListNode";
  readonly items: readonly string[];
  readonly span: Span;
}

export type DataOperandNode = DataStringNode | DataIntegerNode | DataBooleanNode | DataListNode;

export interface DataRelationNode {
  readonly kind: "DataRelationNode";
  readonly path: PathExpression;
  /** The path as written, for messages and explanations. */
  readonly pathText: string;
  readonly pathSpan: Span;
  readonly operator: DataOperator;
  /** The operator as written (`~~` is LIKE). */
  readonly operatorText: string;
  readonly operatorSpan: Span;
  readonly operand: DataOperandNode;
  readonly span: Span;
}

export interface WhereDataNode {
  readonly kind: "WhereDataNode";
  /** Joined by AND; empty for a blank expression. */
  readonly relations: readonly DataRelationNode[];
  readonly span: Span;
}

const freeze = Object.freeze;

export const whereDataNodes = freeze({
  span(offset: number, length: number): Span {
    return freeze({ offset, length });
  },
  whereData(relations: readonly DataRelationNode[], at: Span): WhereDataNode {
    return freeze({ kind: "WhereDataNode", relations: freeze([...relations]), span: at });
  },
  relation(
    path: PathExpression,
    pathText: string,
    pathSpan: Span,
    operator: DataOperator,
    operatorText: string,
    operatorSpan: Span,
    operand: DataOperandNode,
    at: Span,
  ): DataRelationNode {
    return freeze({
      kind: "DataRelationNode",
      path,
      pathText,
      pathSpan,
      operator,
      operatorText,
      operatorSpan,
      operand,
      span: at,
    });
  },
  string(value: string, at: Span): DataStringNode {
    return freeze({ kind: "DataStringNode", value, span: at });
  },
  integer(value: number, at: Span): DataIntegerNode {
    return freeze({ kind: "DataIntegerNode", value, span: at });
  },
  boolean(value: boolean, at: Span): DataBooleanNode {
    return freeze({ kind: "DataBooleanNode", value, span: at });
  },
  list(items: readonly string[], at: Span): DataListNode {
    return freeze({ kind: "DataListNode", items: freeze([...items]), span: at });
  },
});

/** Canonical operator for each spelling the grammar accepts. */
export const dataOperatorSpellings: Readonly<Record<string, DataOperator>> = freeze({
  ...binaryOperatorSpellings,
  IN: "IN",
  "NOT IN": "NOT IN",
});
