// The length limit both expression languages enforce before parsing (ConfigHub's 4096 characters
// for a filter), so an oversized input fails the same way, fast, before the grammar runs.
import { FilterError, FilterErrorCode, type FilterLanguage } from "./errors.ts";

/** @throws FilterError `TooLong` naming the expression's length and the limit. */
export function checkExpressionLength(language: FilterLanguage, source: string, limit: number): void {
  if (source.length > limit) {
    throw new FilterError({
      code: FilterErrorCode.TooLong,
      language,
      source,
      problem: `expression is ${source.length} characters long`,
      hint: `the limit is ${limit}`,
    });
  }
}
