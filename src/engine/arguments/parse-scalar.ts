// String-to-scalar conversion with Go's strconv rules (what ConfigHub accepts), explained in plain
// words when a text is refused (`cannot convert argument <p> value <v> to int: <detail>`).

export type ParseResult<T> = { ok: true; value: T } | { ok: false; detail: string };

const DECIMAL = /^[+-]?[0-9]+$/;

/** strconv.Atoi: optional sign, decimal digits only. Values beyond ±2^53 are refused as out of range. */
export function parseGoInt(text: string): ParseResult<number> {
  if (!DECIMAL.test(text)) {
    return {
      ok: false,
      detail: `${JSON.stringify(text)} is not a whole number (digits with an optional sign, e.g. 3)`,
    };
  }
  const value = Number(text);
  // Go's int is 64-bit; JS numbers are exact only up to 2^53, so larger magnitudes cannot be represented.
  if (!Number.isSafeInteger(value)) {
    return { ok: false, detail: `${text} is too large (the limit is ±${Number.MAX_SAFE_INTEGER})` };
  }
  return { ok: true, value: value === 0 ? 0 : value };
}

const TRUE_TEXTS = new Set(["1", "t", "T", "TRUE", "true", "True"]);
const FALSE_TEXTS = new Set(["0", "f", "F", "FALSE", "false", "False"]);

/** strconv.ParseBool. */
export function parseGoBool(text: string): ParseResult<boolean> {
  if (TRUE_TEXTS.has(text)) return { ok: true, value: true };
  if (FALSE_TEXTS.has(text)) return { ok: true, value: false };
  return { ok: false, detail: `${JSON.stringify(text)} is not a boolean (use true or false)` };
}
