// The concrete syntax tree of an HCL file (grammar/hcl.peggy) and the one way to parse text into it.
// Nodes hold offsets into the text; everything between them (spaces, comments, commas, brackets) is
// kept by the editor, which splices changes into the original text.
import { loadGrammar } from "../../../grammar.ts";
import { ConfigError, ConfigErrorCode } from "../../errors.ts";
import { positionAt } from "./hcl-position.ts";

export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface NumberNode extends Span {
  readonly kind: "number";
  readonly value: number;
}
export interface BoolNode extends Span {
  readonly kind: "bool";
  readonly value: boolean;
}
export interface NullNode extends Span {
  readonly kind: "null";
  readonly value: null;
}
/** A quoted template; `view` is its text with escapes decoded and `${...}`/`%{...}` kept. */
export interface StringNode extends Span {
  readonly kind: "string";
  readonly view: string;
  readonly literal: boolean;
}
export interface HeredocNode extends Span {
  readonly kind: "heredoc";
  /** `<<-`: the body's common indentation is not part of the value. */
  readonly strip: boolean;
  readonly marker: string;
  readonly body: string;
  readonly bodyStart: number;
  readonly bodyEnd: number;
}
export interface TupleNode extends Span {
  readonly kind: "tuple";
  readonly items: readonly HclExpression[];
}
export interface ObjectItemNode extends Span {
  readonly key: HclExpression;
  readonly value: HclExpression;
}
export interface ObjectNode extends Span {
  readonly kind: "object";
  readonly items: readonly ObjectItemNode[];
}
/** Any other expression (reference, call, operator, conditional, for, splat, index): opaque text. */
export interface OpaqueNode extends Span {
  readonly kind: "expr";
  /** Set when the expression is a bare identifier (an object key such as `name = ...`). */
  readonly name?: string;
}

export type HclExpression =
  NumberNode | BoolNode | NullNode | StringNode | HeredocNode | TupleNode | ObjectNode | OpaqueNode;

export interface AttributeNode extends Span {
  readonly kind: "attribute";
  readonly name: string;
  readonly expr: HclExpression;
}

export interface LabelNode extends Span {
  readonly value: string;
  readonly quoted: boolean;
}

export interface BlockNode extends Span {
  readonly kind: "block";
  readonly type: string;
  readonly labels: readonly LabelNode[];
  /** Offset of the `{` and of the `}` of the body. */
  readonly open: number;
  readonly close: number;
  readonly items: readonly BodyItem[];
}

export type BodyItem = AttributeNode | BlockNode;

export interface HclFile {
  readonly items: readonly BodyItem[];
  readonly end: number;
}

interface PeggySyntaxError {
  readonly found: string | null;
  readonly location: { readonly start: { readonly offset: number } };
  /** What the grammar could have taken there; `other` entries are named rules (a separator). */
  readonly expected?: readonly { readonly type: string; readonly description?: string }[] | null;
}

function isPeggySyntaxError(error: unknown): error is PeggySyntaxError {
  return error instanceof Error && error.name === "SyntaxError" && "location" in error && "found" in error;
}

type StartRule = "File" | "LoneExpression" | "LoneTemplate";

function parser(): { parse(text: string, options: { startRule: StartRule }): unknown } {
  return loadGrammar("hcl") as never;
}

/**
 * Parses an HCL file. Throws ConfigError `SYNTAX` with the line and column of the first character
 * the grammar cannot take, and `TOO_DEEP` if the parser runs out of stack (the nesting check before
 * parsing normally refuses such input first).
 */
export function parseHclFile(text: string): HclFile {
  try {
    return parser().parse(text, { startRule: "File" }) as HclFile;
  } catch (error) {
    if (isPeggySyntaxError(error)) {
      const offset = error.location.start.offset;
      const { line, column } = positionAt(text, offset);
      const found = error.found === null ? "end of input" : JSON.stringify(error.found);
      // Only the named rules: the full list (every operator, space and comment) says nothing.
      const named = [
        ...new Set((error.expected ?? []).filter((e) => e.type === "other").map((e) => e.description)),
      ];
      const expected = named.length > 0 ? ` (expected ${named.join(", or ")})` : "";
      throw new ConfigError(
        ConfigErrorCode.Syntax,
        `invalid HCL at line ${line}, column ${column}: unexpected ${found}${expected}`,
        { line, column },
      );
    }
    if (error instanceof RangeError) {
      throw new ConfigError(ConfigErrorCode.TooDeep, "HCL expressions are nested too deeply to parse", {
        cause: error,
      });
    }
    throw error;
  }
}

/** The expression `text` holds on its own, or undefined if it is not exactly one expression. */
export function parseLoneExpression(text: string): HclExpression | undefined {
  try {
    return parser().parse(text, { startRule: "LoneExpression" }) as HclExpression;
  } catch (error) {
    if (isPeggySyntaxError(error) || error instanceof RangeError) return undefined;
    throw error;
  }
}

/** True when `text` is exactly one valid quoted template. */
export function isValidTemplate(text: string): boolean {
  try {
    parser().parse(text, { startRule: "LoneTemplate" });
    return true;
  } catch (error) {
    if (isPeggySyntaxError(error) || error instanceof RangeError) return false;
    throw error;
  }
}
