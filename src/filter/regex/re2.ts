// User regular expressions run with RE2 semantics (re2js): matching is linear in the input, so a
// pattern like `(a+)+$` cannot backtrack catastrophically in the server process. Backreferences,
// lookaround and other non-regular constructs are syntax errors, reported with RE2's own reason.
import { RE2JS, RE2JSException } from "re2js";

export interface SafeRegex {
  readonly source: string;
  readonly caseInsensitive: boolean;
  /** Unanchored search, like PostgreSQL's `~`. */
  test(input: string): boolean;
}

export type Re2Result =
  { readonly ok: true; readonly regex: SafeRegex } | { readonly ok: false; readonly reason: string };

export function compileRe2(source: string, options: { caseInsensitive?: boolean } = {}): Re2Result {
  const caseInsensitive = options.caseInsensitive ?? false;
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(source, caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (error) {
    if (error instanceof RE2JSException) return { ok: false, reason: describe(error, source) };
    throw error;
  }
  return {
    ok: true,
    regex: Object.freeze({
      source,
      caseInsensitive,
      test: (input: string) => compiled.test(input),
    }),
  };
}

function describe(error: RE2JSException, source: string): string {
  // RE2JSSyntaxException carries the bare reason and the offending fragment separately.
  const syntax = error as RE2JSException & { error?: unknown; input?: unknown };
  if (typeof syntax.error === "string") {
    const fragment = typeof syntax.input === "string" ? syntax.input : "";
    return fragment && fragment !== source ? `${syntax.error} at '${fragment}'` : syntax.error;
  }
  return error.message;
}
