// A bound on what one CEL evaluation can cost, computed before it runs (cel-validate evaluates user
// expressions in the server process, so an expression like three nested `all()` over a large list
// must be refused, not run for minutes). The model follows cel-go's cost estimator, with the sizes
// taken from the resource actually being checked instead of declared size hints:
// - every node costs 1; a call to a function that is linear in its input (string search, equality,
//   concatenation, `in`) also costs the largest string or collection it could see;
// - a comprehension (`all`, `exists`, `exists_one`, `map`, `filter`) costs its range plus, per
//   element, its condition and step: nesting multiplies.
// Collection sizes are bounded by the resource's largest list or map (or literal list), times one
// plus the number of `+` the expression writes (each can at most add another such collection).
import type { parse } from "@bufbuild/cel";

type Expr = ReturnType<typeof parse>["expr"];

/** cel-go's default per-evaluation limit, also Kubernetes' per-call limit for CEL validation rules. */
export const CEL_COST_LIMIT = 1_000_000;

/** Functions whose running time grows with the size of their operands. */
const LINEAR_FUNCTIONS = new Set([
  "_+_",
  "_==_",
  "_!=_",
  "@in",
  "matches",
  "contains",
  "startsWith",
  "endsWith",
  "string",
  "bytes",
  "size",
]);

/** What an expression contributes to the bounds, independent of the data. */
export interface ExpressionShape {
  readonly root: Expr;
  /** `+` operators written by the user (not the ones macros expand into). */
  readonly additions: number;
  /** Largest list or map literal. */
  readonly largestLiteral: number;
  /** Longest string literal. */
  readonly longestLiteral: number;
}

/** Sizes found in the data the expression runs on. */
export interface DataSizes {
  readonly largestCollection: number;
  readonly longestString: number;
}

export function expressionShape(root: Expr): ExpressionShape {
  let additions = 0;
  let largestLiteral = 0;
  let longestLiteral = 0;
  walk(root, (node, accumulator) => {
    const kind = node.exprKind;
    if (kind.case === "callExpr" && kind.value.function === "_+_") {
      // Macros append to their accumulator with `accu + [x]`; that growth is bounded by the range.
      const first = kind.value.args[0];
      const macroAppend = first?.exprKind.case === "identExpr" && first.exprKind.value.name === accumulator;
      if (!macroAppend) additions++;
    } else if (kind.case === "listExpr") {
      largestLiteral = Math.max(largestLiteral, kind.value.elements.length);
    } else if (kind.case === "structExpr") {
      largestLiteral = Math.max(largestLiteral, kind.value.entries.length);
    } else if (kind.case === "constExpr" && kind.value.constantKind.case === "stringValue") {
      longestLiteral = Math.max(longestLiteral, kind.value.constantKind.value.length);
    }
  });
  return { root, additions, largestLiteral, longestLiteral };
}

/** Largest list/map and longest string in a plain JSON-like value (iteratively: no deep recursion). */
export function dataSizes(value: unknown): DataSizes {
  let largestCollection = 0;
  let longestString = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const current = pending.pop();
    if (typeof current === "string") {
      longestString = Math.max(longestString, current.length);
    } else if (Array.isArray(current)) {
      largestCollection = Math.max(largestCollection, current.length);
      pending.push(...(current as unknown[]));
    } else if (current !== null && typeof current === "object") {
      const entries = Object.entries(current);
      largestCollection = Math.max(largestCollection, entries.length);
      for (const [key, child] of entries) {
        longestString = Math.max(longestString, key.length);
        pending.push(child);
      }
    }
  }
  return { largestCollection, longestString };
}

/** Upper bound on the evaluation steps of `shape` over data of `sizes`. */
export function estimateCost(shape: ExpressionShape, sizes: DataSizes): number {
  const growth = shape.additions + 1;
  const collection = Math.max(sizes.largestCollection, shape.largestLiteral, 1) * growth;
  const text = Math.max(sizes.longestString, shape.longestLiteral, 1) * growth;
  const linear = Math.max(collection, text);
  const cost = (node: Expr | undefined): number => {
    if (!node) return 0;
    const kind = node.exprKind;
    switch (kind.case) {
      case "selectExpr":
        return 1 + cost(kind.value.operand);
      case "callExpr": {
        const own = LINEAR_FUNCTIONS.has(kind.value.function) ? 1 + linear : 1;
        return own + cost(kind.value.target) + kind.value.args.reduce((sum, arg) => sum + cost(arg), 0);
      }
      case "listExpr":
        return 1 + kind.value.elements.reduce((sum, element) => sum + cost(element), 0);
      case "structExpr":
        return (
          1 + kind.value.entries.reduce((sum, entry) => sum + cost(entryKey(entry)) + cost(entry.value), 0)
        );
      case "comprehensionExpr": {
        const c = kind.value;
        const perElement = cost(c.loopCondition) + cost(c.loopStep);
        return cost(c.iterRange) + cost(c.accuInit) + collection * perElement + cost(c.result);
      }
      default:
        return 1;
    }
  };
  return cost(shape.root);
}

function entryKey(entry: { keyKind: { case: string | undefined; value?: unknown } }): Expr | undefined {
  return entry.keyKind.case === "mapKey" ? (entry.keyKind.value as Expr) : undefined;
}

/** Visits every node with the accumulator variable of the innermost enclosing comprehension. */
function walk(root: Expr, visit: (node: Expr, accumulator: string | undefined) => void): void {
  const pending: { node: Expr; accumulator: string | undefined }[] = [{ node: root, accumulator: undefined }];
  while (pending.length > 0) {
    const { node, accumulator } = pending.pop()!;
    visit(node, accumulator);
    const kind = node.exprKind;
    const push = (child: Expr | undefined, accu = accumulator): void => {
      if (child) pending.push({ node: child, accumulator: accu });
    };
    switch (kind.case) {
      case "selectExpr":
        push(kind.value.operand);
        break;
      case "callExpr":
        push(kind.value.target);
        kind.value.args.forEach((arg) => push(arg));
        break;
      case "listExpr":
        kind.value.elements.forEach((element) => push(element));
        break;
      case "structExpr":
        for (const entry of kind.value.entries) {
          push(entryKey(entry));
          push(entry.value);
        }
        break;
      case "comprehensionExpr": {
        const c = kind.value;
        push(c.iterRange);
        push(c.accuInit);
        push(c.loopCondition, c.accuVar);
        push(c.loopStep, c.accuVar);
        push(c.result, c.accuVar);
        break;
      }
      default:
        break;
    }
  }
}
