// Stage 2 of `where_data`: check each relation's operator against its operand (spec §2.2) and
// compile what can be compiled once: regexes (RE2, so a pattern cannot backtrack catastrophically),
// LIKE patterns, the split of `left.|right` paths. Errors are FilterErrors pointing at the text.
import { builtinAccessor, isConfigError } from "../../config/index.ts";
import type { EmbeddedAccessor } from "../../config/index.ts";
import { FilterError, FilterErrorCode, quote, type FilterErrorInit } from "../errors.ts";
import { compileLike, type LikeMatcher } from "../like.ts";
import { compileFilterRegex } from "../regex/filter-regex.ts";
import type { SafeRegex } from "../regex/re2.ts";
import type { DataOperandNode, DataOperator, DataRelationNode, WhereDataNode } from "./ast.ts";
import { parseWhereData } from "./parse.ts";

/** How a relation tests one value; which one follows from the operator and the operand's type. */
export type ValueTest =
  | {
      readonly kind: "compare";
      readonly operator: "=" | "!=" | "<" | "<=" | ">" | ">=";
      readonly literal: string | number | boolean;
    }
  | { readonly kind: "like"; readonly matcher: LikeMatcher; readonly negated: boolean }
  | { readonly kind: "regex"; readonly regex: SafeRegex; readonly negated: boolean }
  | { readonly kind: "in"; readonly items: ReadonlySet<string>; readonly negated: boolean };

export interface PreparedRelation {
  readonly node: DataRelationNode;
  /** The path to resolve in each resource: the whole path, or the left part of a split path. */
  readonly path: string;
  /**
   * The keys of `path` when it has no pattern (`* ? @: |`): such a path resolves to itself without
   * consulting the document (spec §1.2), so its value is read directly.
   */
  readonly plainKeys: readonly string[] | undefined;
  /** For `left.|right`: the plain keys looked up under each node `path` finds. */
  readonly right: readonly string[] | undefined;
  /** `#name` of the path: the part of a string value that is compared (`image#reference`). */
  readonly accessor: { readonly name: string; readonly reader: EmbeddedAccessor } | undefined;
  readonly test: ValueTest;
}

export interface PreparedWhereData {
  readonly source: string;
  /** Joined by AND; empty for a blank expression. */
  readonly relations: readonly PreparedRelation[];
}

type Fail = (init: Omit<FilterErrorInit, "language" | "source">) => never;

const COMPARISONS = new Set<DataOperator>(["=", "!=", "<", "<=", ">", ">="]);

export function prepareWhereData(source: string): PreparedWhereData {
  const ast: WhereDataNode = parseWhereData(source);
  const relations = ast.relations.map((node) => prepareRelation(node, source));
  return Object.freeze({ source, relations: Object.freeze(relations) });
}

function prepareRelation(node: DataRelationNode, source: string): PreparedRelation {
  const fail: Fail = (init) => {
    throw new FilterError({ ...init, language: "where_data", source });
  };
  const { operator, operand } = node;
  const at = { offset: node.operatorSpan.offset, length: node.operatorSpan.length };
  let test: ValueTest;
  if (operand.kind === "DataListNode") {
    if (operand.items.length === 0) {
      fail({
        code: FilterErrorCode.Syntax,
        offset: operand.span.offset,
        length: operand.span.length,
        problem: `empty ${operator} list`,
        hint: "name at least one value, as in ('a', 'b')",
      });
    }
    test = { kind: "in", items: new Set(operand.items), negated: operator === "NOT IN" };
  } else if (COMPARISONS.has(operator)) {
    if (operand.kind === "DataBooleanNode" && operator !== "=" && operator !== "!=") {
      fail({
        ...at,
        code: FilterErrorCode.OperatorType,
        problem: `invalid boolean operator ${quote(node.operatorText)}`,
        hint: "true and false take = and !=",
      });
    }
    test = { kind: "compare", operator: operator as "=", literal: operand.value };
  } else {
    const pattern = stringOperand(operand, node, fail);
    if (operator === "~" || operator === "~*" || operator === "!~" || operator === "!~*") {
      const compiled = compileFilterRegex(
        pattern,
        operator.endsWith("*"),
        operand.span,
        source.slice(operand.span.offset, operand.span.offset + operand.span.length),
      );
      if (!compiled.ok) fail(compiled.error);
      test = { kind: "regex", regex: compiled.regex, negated: operator.startsWith("!") };
    } else {
      test = {
        kind: "like",
        matcher: compileLike(pattern, {
          dialect: "where-filter",
          caseInsensitive: operator.includes("ILIKE"),
        }),
        negated: operator.startsWith("NOT"),
      };
    }
  }
  let accessor: PreparedRelation["accessor"];
  if (node.path.accessor !== undefined) {
    const name = node.path.accessor;
    try {
      accessor = { name, reader: builtinAccessor(name, node.pathText) };
    } catch (error) {
      if (!isConfigError(error)) throw error;
      fail({
        code: FilterErrorCode.InvalidPath,
        offset: node.pathSpan.offset,
        length: node.pathSpan.length,
        problem: `unknown accessor ${quote(`#${name}`)} in path ${quote(node.pathText)}`,
        hint: "known accessors are #uri, #reference, #subdomain and #domain",
      });
    }
  }
  const splitSegment = node.path.segments.findIndex((s) => s.kind === "SplitSegment");
  const split = splitSegment < 0 ? -1 : splitAt(node.pathText);
  if (splitSegment >= 0 && split < 0) {
    throw new TypeError(`where_data: the path grammar split ${node.pathText} but its text has no ".|"`);
  }
  const right =
    splitSegment < 0
      ? undefined
      : node.path.segments.slice(splitSegment).map((s) => ("key" in s ? s.key : ""));
  const left = splitSegment < 0 ? node.path.segments : node.path.segments.slice(0, splitSegment);
  const plain = left.every((s) => s.kind === "KeySegment" || s.kind === "BoundKeySegment");
  return Object.freeze({
    node,
    path: split < 0 ? node.pathText : node.pathText.slice(0, split),
    plainKeys: plain ? Object.freeze(left.map((s) => ("key" in s ? s.key : ""))) : undefined,
    right: right && Object.freeze(right),
    accessor,
    test: Object.freeze(test),
  });
}

function stringOperand(
  operand: Exclude<DataOperandNode, { kind: "DataListNode" }>,
  node: DataRelationNode,
  fail: Fail,
): string {
  if (operand.kind === "DataStringNode") return operand.value;
  const written = String(operand.value);
  return fail({
    code: operand.kind === "DataBooleanNode" ? FilterErrorCode.OperatorType : FilterErrorCode.LiteralType,
    offset: operand.span.offset,
    length: operand.span.length,
    problem:
      operand.kind === "DataBooleanNode"
        ? `invalid boolean operator ${quote(node.operatorText)}`
        : `${quote(node.operatorText)} needs a string pattern, not ${written}`,
    hint:
      operand.kind === "DataBooleanNode"
        ? "true and false take = and !="
        : "write the pattern in single quotes",
  });
}

/** Where `.|` splits a path's text (outside double-quoted keys), or -1. */
function splitAt(pathText: string): number {
  let quoted = false;
  for (let i = 0; i < pathText.length; i++) {
    const ch = pathText[i];
    if (quoted && ch === "\\") i++;
    else if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === "." && pathText[i + 1] === "|") return i;
  }
  return -1;
}
