// One CEL expression, compiled once and evaluated per resource with `r` bound to the resource's
// plain value (numbers are doubles, as in ConfigHub, whose resources went through JSON). Regular
// expressions (`matches`) run on RE2 (re2js): linear time, so a pattern cannot hang the server.
import {
  CelScalar,
  celEnv,
  celType,
  isCelError,
  parse,
  plan,
  type CelInput,
  type CelResult,
} from "@bufbuild/cel";
import { compileRe2, type SafeRegex } from "../../../src/filter/in-memory.ts";
import {
  CEL_COST_LIMIT,
  dataSizes,
  estimateCost,
  expressionShape,
  type ExpressionShape,
} from "./cel-cost.ts";

/** cel-go's default limits on the source: size in code points and nesting depth. */
export const MAX_EXPRESSION_LENGTH = 100_000;
export const MAX_NESTING_DEPTH = 250;

/** How cel-es reports a read of an absent field (`r.spec.x`) or map key (`r.metadata.labels['x']`). */
const MISSING_FIELD = /^(?:field not found|no such key): /;

/** Why an expression cannot be compiled; `message` says what and where (line, column). */
export class CelCompileError extends Error {
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(message: string, position?: { line: number; column: number }) {
    super(message);
    this.name = "CelCompileError";
    this.line = position?.line;
    this.column = position?.column;
  }
}

export type CelOutcome =
  | { readonly kind: "value"; readonly value: boolean }
  | { readonly kind: "not-bool"; readonly type: string }
  | { readonly kind: "error"; readonly message: string }
  /** The expression reads a field or key the resource does not have (`field not found: x`). */
  | { readonly kind: "missing-field"; readonly message: string }
  | { readonly kind: "too-costly"; readonly cost: number; readonly largestCollection: number };

export class CelProgram {
  readonly source: string;
  readonly #evaluate: (resource: CelInput) => CelResult;
  readonly #shape: ExpressionShape;
  readonly #lineStarts: number[];
  readonly #positions: Record<string, number>;

  /** @throws CelCompileError for a syntax error or an expression beyond the size limits. */
  constructor(source: string) {
    this.source = source;
    this.#lineStarts = lineStarts(source);
    if ([...source].length > MAX_EXPRESSION_LENGTH) {
      throw new CelCompileError(`the expression is longer than ${MAX_EXPRESSION_LENGTH} characters`);
    }
    let parsed: ReturnType<typeof parse>;
    try {
      parsed = parse(source);
    } catch (error) {
      throw this.#syntaxError(error);
    }
    const depth = nestingDepth(parsed.expr);
    if (depth > MAX_NESTING_DEPTH) {
      throw new CelCompileError(
        `the expression nests ${depth} levels deep; the limit is ${MAX_NESTING_DEPTH}`,
      );
    }
    this.#shape = expressionShape(parsed.expr);
    this.#positions = Object.fromEntries(
      Object.entries(parsed.sourceInfo?.positions ?? {}).map(([id, offset]) => [id, Number(offset)]),
    );
    const regexes = new Map<string, SafeRegex>();
    const env = celEnv({
      variables: { r: CelScalar.DYN },
      re2: {
        compile(pattern: string) {
          let regex = regexes.get(pattern);
          if (!regex) {
            const compiled = compileRe2(pattern);
            // Thrown inside a CEL function, this becomes the evaluation's error.
            if (!compiled.ok) throw new Error(`invalid regular expression ${pattern}: ${compiled.reason}`);
            regex = compiled.regex;
            // A pattern may come from the data, and a program serves many Units: stay bounded.
            if (regexes.size >= 256) regexes.clear();
            regexes.set(pattern, regex);
          }
          return regex;
        },
      },
    });
    const evaluate = plan(env, parsed);
    this.#evaluate = (resource) => evaluate({ r: resource });
  }

  /** Evaluates with `r` bound to `resource`, unless the evaluation could exceed the cost limit. */
  evaluate(resource: unknown): CelOutcome {
    const sizes = dataSizes(resource);
    const cost = estimateCost(this.#shape, sizes);
    if (cost > CEL_COST_LIMIT)
      return { kind: "too-costly", cost, largestCollection: sizes.largestCollection };
    // A resource is plain JSON-like data (maps, lists, strings, numbers, booleans, null).
    const result = this.#evaluate(resource as CelInput);
    if (isCelError(result)) {
      const position = result.exprId === undefined ? undefined : this.#positions[String(result.exprId)];
      const where = position === undefined ? "" : ` (${this.#describe(position)})`;
      const kind = MISSING_FIELD.test(result.message) ? "missing-field" : "error";
      return { kind, message: `${result.message}${where}` };
    }
    if (typeof result !== "boolean") return { kind: "not-bool", type: celType(result).toString() };
    return { kind: "value", value: result };
  }

  #syntaxError(error: unknown): CelCompileError {
    const located = error as {
      rawMessage?: unknown;
      location?: { start?: { line?: number; column?: number } };
    };
    const start = located.location?.start;
    if (typeof located.rawMessage === "string" && start?.line !== undefined && start.column !== undefined) {
      const position = { line: start.line, column: start.column };
      return new CelCompileError(
        `line ${position.line}, column ${position.column}: ${located.rawMessage}`,
        position,
      );
    }
    // The parser recurses per nesting level: an absurdly nested expression overflows its stack.
    if (error instanceof RangeError) {
      return new CelCompileError(`the expression is nested too deeply (limit ${MAX_NESTING_DEPTH} levels)`);
    }
    throw error;
  }

  #describe(offset: number): string {
    let line = 0;
    while (line + 1 < this.#lineStarts.length && this.#lineStarts[line + 1]! <= offset) line++;
    return `line ${line + 1}, column ${offset - this.#lineStarts[line]! + 1}`;
  }
}

function lineStarts(source: string): number[] {
  const starts = [0];
  for (let i = source.indexOf("\n"); i >= 0; i = source.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

type Expr = ReturnType<typeof parse>["expr"];

function nestingDepth(root: Expr): number {
  let deepest = 0;
  const pending: { node: Expr; depth: number }[] = [{ node: root, depth: 1 }];
  while (pending.length > 0) {
    const { node, depth } = pending.pop()!;
    deepest = Math.max(deepest, depth);
    const kind = node.exprKind;
    const children: (Expr | undefined)[] = [];
    if (kind.case === "selectExpr") children.push(kind.value.operand);
    else if (kind.case === "callExpr") children.push(kind.value.target, ...kind.value.args);
    else if (kind.case === "listExpr") children.push(...kind.value.elements);
    else if (kind.case === "structExpr") {
      for (const entry of kind.value.entries) {
        if (entry.keyKind.case === "mapKey") children.push(entry.keyKind.value);
        children.push(entry.value);
      }
    } else if (kind.case === "comprehensionExpr") {
      const c = kind.value;
      children.push(c.iterRange, c.accuInit, c.loopCondition, c.loopStep, c.result);
    }
    for (const child of children) if (child) pending.push({ node: child, depth: depth + 1 });
  }
  return deepest;
}
