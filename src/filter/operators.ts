// The binary operators `where` (entity attributes) and `where_data` (config data) share: their
// canonical names, every spelling the grammars accept, and what a comparison's order means, so
// both languages read and decide `=`, `~~*` or `>=` the same way.

export type ComparisonOperator = "=" | "!=" | "<" | "<=" | ">" | ">=";
export type PatternOperator = "LIKE" | "NOT LIKE" | "ILIKE" | "NOT ILIKE";
export type RegexOperator = "~" | "~*" | "!~" | "!~*";
export type BinaryOperator = ComparisonOperator | PatternOperator | RegexOperator;

/** Canonical operator for each spelling the grammars accept (PostgreSQL's `~~` family included). */
export const binaryOperatorSpellings: Readonly<Record<string, BinaryOperator>> = Object.freeze({
  "=": "=",
  "!=": "!=",
  "<": "<",
  "<=": "<=",
  ">": ">",
  ">=": ">=",
  LIKE: "LIKE",
  "~~": "LIKE",
  "NOT LIKE": "NOT LIKE",
  "!~~": "NOT LIKE",
  ILIKE: "ILIKE",
  "~~*": "ILIKE",
  "NOT ILIKE": "NOT ILIKE",
  "!~~*": "NOT ILIKE",
  "~": "~",
  "~*": "~*",
  "!~": "!~",
  "!~*": "!~*",
});

/** Whether a comparison holds, given the sign of `value` compared with the literal. */
export function orderSatisfies(operator: ComparisonOperator, order: number): boolean {
  switch (operator) {
    case "=":
      return order === 0;
    case "!=":
      return order !== 0;
    case "<":
      return order < 0;
    case "<=":
      return order <= 0;
    case ">":
      return order > 0;
    case ">=":
      return order >= 0;
  }
}
