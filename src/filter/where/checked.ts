// The checked form of a `where` expression: every attribute resolved against a catalogue, every
// operand typed, every literal converted (UUIDs normalised, times as instants, regexes compiled).
// Both back ends consume this: compile-sql.ts (kysely) and evaluate.ts (in memory).
import type { AttributeSpec, Catalogue, ScalarType } from "../catalogue/index.ts";
import type { SafeRegex } from "../regex/re2.ts";
import type { Instant } from "../time.ts";
import type { ComparisonOperator, Span } from "./ast.ts";

/** A value read from the entity. */
export type ValueRef =
  | {
      readonly kind: "attribute";
      readonly attribute: AttributeSpec;
      readonly type: ScalarType;
      readonly span: Span;
    }
  | {
      readonly kind: "mapValue";
      readonly attribute: AttributeSpec;
      readonly key: string;
      readonly type: "string" | "bool";
      readonly span: Span;
    }
  | { readonly kind: "length"; readonly attribute: AttributeSpec; readonly type: "int"; readonly span: Span };

export type Literal =
  | { readonly kind: "literal"; readonly type: "string"; readonly value: string; readonly span: Span }
  | { readonly kind: "literal"; readonly type: "int"; readonly value: number; readonly span: Span }
  | { readonly kind: "literal"; readonly type: "bool"; readonly value: boolean; readonly span: Span }
  | { readonly kind: "literal"; readonly type: "uuid"; readonly value: string; readonly span: Span }
  | { readonly kind: "literal"; readonly type: "time"; readonly value: Instant; readonly span: Span };

export type Predicate =
  | {
      readonly kind: "compare";
      readonly type: ScalarType;
      readonly left: ValueRef;
      readonly operator: ComparisonOperator;
      readonly right: ValueRef | Literal;
      readonly span: Span;
    }
  | {
      readonly kind: "in";
      readonly type: ScalarType;
      readonly subject: ValueRef;
      readonly negated: boolean;
      readonly values: readonly Literal[];
      readonly span: Span;
    }
  | {
      readonly kind: "like";
      readonly subject: ValueRef;
      readonly pattern: string;
      readonly caseInsensitive: boolean;
      readonly negated: boolean;
      readonly span: Span;
    }
  | {
      readonly kind: "regex";
      readonly subject: ValueRef;
      readonly regex: SafeRegex;
      readonly negated: boolean;
      /** Where the pattern literal sits, for errors raised when translating it for PostgreSQL. */
      readonly patternSpan: Span;
      readonly span: Span;
    }
  | {
      /** Array membership (`ApprovedBy ? '<uuid>'`) or map key presence (`Labels ? 'tier'`). */
      readonly kind: "has";
      readonly attribute: AttributeSpec;
      readonly element: string;
      readonly span: Span;
    }
  | {
      readonly kind: "isNull";
      readonly subject: Extract<ValueRef, { kind: "attribute" | "mapValue" }>;
      readonly negated: boolean;
      readonly span: Span;
    }
  | {
      /** SQL's `IS [NOT] TRUE|FALSE` over a predicate that may be unknown (NULL). */
      readonly kind: "truth";
      readonly predicate: Predicate;
      readonly truth: boolean;
      readonly negated: boolean;
      readonly span: Span;
    };

export interface CheckedWhere {
  readonly source: string;
  readonly catalogue: Catalogue;
  /** Joined by AND. */
  readonly predicates: readonly Predicate[];
  /** Whether a regex runs when the filter does (so PostgreSQL needs a statement timeout). */
  readonly usesRegex: boolean;
}
