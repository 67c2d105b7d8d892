// Checks a JSONPath expression before jsonpath-plus runs it. jsonpath-plus is lenient (`$[` reads as
// `$`), and its "safe" filter scripts still call methods, regular expressions included, which can
// backtrack for minutes on a crafted value. So a filter (`[?(...)]`) or script (`[(...)]`) may only
// compare and combine values: no function or method calls, no regular expressions, no assignment.

export const MAX_JSONPATH_LENGTH = 4096;

/** Why an expression is refused; `column` is 1-based. */
export class JsonPathSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly column: number | undefined,
  ) {
    super(column === undefined ? reason : `${reason} at column ${column}`);
    this.name = "JsonPathSyntaxError";
  }
}

const CLOSING: Readonly<Record<string, string>> = { "[": "]", "(": ")" };

/** @throws JsonPathSyntaxError */
export function checkJsonPath(expression: string): void {
  if (expression.length > MAX_JSONPATH_LENGTH) {
    throw new JsonPathSyntaxError(
      `the expression is longer than ${MAX_JSONPATH_LENGTH} characters`,
      undefined,
    );
  }
  if (!expression.startsWith("$")) throw new JsonPathSyntaxError("the expression must start with $", 1);
  const open: { char: string; column: number; script: boolean }[] = [];
  let quote: { char: string; column: number } | undefined;
  for (let i = 0; i < expression.length; i++) {
    const char = expression[i]!;
    const column = i + 1;
    if (quote) {
      if (char === "\\") i++;
      else if (char === quote.char) quote = undefined;
      continue;
    }
    const inScript = open.some((o) => o.script);
    if (char === "'" || char === '"') {
      quote = { char, column };
    } else if (char === "[" || char === "(") {
      // `[?(` and `[(` start a script; parentheses inside a script only group.
      const startsScript =
        char === "(" &&
        (expression[i - 1] === "[" || (expression[i - 1] === "?" && expression[i - 2] === "["));
      if (char === "(" && inScript && /[\w$\])]\s*$/.test(expression.slice(0, i))) {
        throw new JsonPathSyntaxError("function and method calls are not allowed in filters", column);
      }
      open.push({ char, column, script: startsScript || inScript });
    } else if (char === "]" || char === ")") {
      const last = open.pop();
      if (!last || CLOSING[last.char] !== char) {
        throw new JsonPathSyntaxError(`unexpected ${char}`, column);
      }
    } else if (inScript) {
      if (char === "/")
        throw new JsonPathSyntaxError("regular expressions and division are not allowed in filters", column);
      if (char === "`") throw new JsonPathSyntaxError("template strings are not allowed in filters", column);
      if (char === "=" && !/[=!<>]/.test(expression[i - 1] ?? "") && expression[i + 1] !== "=") {
        throw new JsonPathSyntaxError("assignment is not allowed in filters (compare with ==)", column);
      }
    }
  }
  if (quote) throw new JsonPathSyntaxError(`unterminated string starting`, quote.column);
  const unclosed = open.pop();
  if (unclosed) throw new JsonPathSyntaxError(`unclosed ${unclosed.char}`, unclosed.column);
}
