// String-to-scalar conversion with Go's strconv rules and error texts, because argument errors quote
// them (spec §3.1: `cannot convert argument <p> value <v> to int: <detail>`).

export type ParseResult<T> = { ok: true; value: T } | { ok: false; detail: string };

const DECIMAL = /^[+-]?[0-9]+$/;

/** strconv.Atoi: optional sign, decimal digits only. Values beyond ±2^53 are refused as out of range. */
export function parseGoInt(text: string): ParseResult<number> {
  if (!DECIMAL.test(text))
    return { ok: false, detail: `strconv.Atoi: parsing ${goQuote(text)}: invalid syntax` };
  const value = Number(text);
  // Go's int is 64-bit; JS numbers are exact only up to 2^53, so larger magnitudes cannot be represented.
  if (!Number.isSafeInteger(value)) {
    return { ok: false, detail: `strconv.Atoi: parsing ${goQuote(text)}: value out of range` };
  }
  return { ok: true, value: value === 0 ? 0 : value };
}

const TRUE_TEXTS = new Set(["1", "t", "T", "TRUE", "true", "True"]);
const FALSE_TEXTS = new Set(["0", "f", "F", "FALSE", "false", "False"]);

/** strconv.ParseBool. */
export function parseGoBool(text: string): ParseResult<boolean> {
  if (TRUE_TEXTS.has(text)) return { ok: true, value: true };
  if (FALSE_TEXTS.has(text)) return { ok: true, value: false };
  return { ok: false, detail: `strconv.ParseBool: parsing ${goQuote(text)}: invalid syntax` };
}

/** strconv.Quote for the printable-ASCII texts argument errors carry; JSON escaping covers the rest. */
export function goQuote(text: string): string {
  return JSON.stringify(text);
}
