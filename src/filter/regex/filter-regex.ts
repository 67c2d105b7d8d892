// A filter's regular expression: RE2 syntax (re2.ts) within the cost bounds of complexity.ts. The
// `where` and `where_data` checks compile their regex operands here, so both report the same
// errors: an invalid pattern, or one over a limit, with the column of the offending construct.
import { FilterErrorCode, quote, type FilterErrorInit } from "../errors.ts";
import { checkRegexComplexity, filterRegexLimits } from "./complexity.ts";
import { compileRe2, type SafeRegex } from "./re2.ts";

export type FilterRegexResult =
  | { readonly ok: true; readonly regex: SafeRegex }
  | { readonly ok: false; readonly error: Omit<FilterErrorInit, "language" | "source"> };

/**
 * Compiles `pattern`, written as the string literal at `literal` (offset and length of the quoted
 * text in the expression) whose exact text is `literalText`.
 */
export function compileFilterRegex(
  pattern: string,
  caseInsensitive: boolean,
  literal: { readonly offset: number; readonly length: number },
  literalText: string,
): FilterRegexResult {
  // Too long is refused before compiling: RE2's compile of a long pattern costs time of its own.
  if (pattern.length > filterRegexLimits.maxLength) return tooCostly(pattern, literal, literalText)!;
  const compiled = compileRe2(pattern, { caseInsensitive });
  if (!compiled.ok) {
    return {
      ok: false,
      error: {
        code: FilterErrorCode.InvalidRegex,
        ...literal,
        problem: `invalid regular expression ${quote(pattern)}`,
        hint: compiled.reason,
      },
    };
  }
  return tooCostly(pattern, literal, literalText) ?? { ok: true, regex: compiled.regex };
}

function tooCostly(
  pattern: string,
  literal: { readonly offset: number; readonly length: number },
  literalText: string,
): FilterRegexResult | undefined {
  const cost = checkRegexComplexity(pattern, filterRegexLimits);
  if (cost.ok) return undefined;
  // Offsets inside the pattern map onto the literal when it has no doubled quotes.
  const exact = literalText === `'${pattern}'`;
  return {
    ok: false,
    error: {
      code: FilterErrorCode.RegexTooComplex,
      offset: exact ? literal.offset + 1 + cost.offset : literal.offset,
      length: exact ? cost.length : literal.length,
      problem: `regular expression ${quote(pattern)} is too costly to run`,
      hint: `${cost.reason}; simplify it`,
    },
  };
}
