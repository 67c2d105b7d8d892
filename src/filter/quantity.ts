// Kubernetes resource quantities (`500m`, `1.5`, `256Mi`, `1e3`): exact parsing, comparison by value,
// multiplication and canonical formatting, with Kubernetes' rules (apimachinery resource.Quantity).
// Used by where_data (`resources.limits.memory > '256Mi'` is true for `1Gi`, design §9) and by
// set-container-resources. Values are exact fractions of bigints, so `0.1 + 0.2` style errors and
// precision loss on large byte counts cannot happen.
//
//   quantity ::= [+-] number [suffix]
//   number   ::= digits | digits "." [digits] | "." digits
//   suffix   ::= Ki | Mi | Gi | Ti | Pi | Ei          (binary SI)
//              | n | u | m | "" | k | M | G | T | P | E   (decimal SI)
//              | (e | E) [+-] digits                  (decimal exponent)

export type QuantityFormat = "DecimalSI" | "BinarySI" | "DecimalExponent";

export interface Quantity {
  /** The value is numerator / denominator (denominator > 0, fraction reduced). */
  readonly numerator: bigint;
  readonly denominator: bigint;
  /** How the value was written; formatting keeps it (Kubernetes' canonical form per format). */
  readonly format: QuantityFormat;
}

const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)([eE][+-]?\d+|[KMGTPE]i|[numkMGTPE])?$/;
const BINARY_EXPONENT: Readonly<Record<string, number>> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL_EXPONENT: Readonly<Record<string, number>> = {
  n: -9,
  u: -6,
  m: -3,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const DECIMAL_SUFFIX = new Map(Object.entries(DECIMAL_EXPONENT).map(([suffix, exp]) => [exp, suffix]));
const BINARY_SUFFIX = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];

// Far beyond any real quantity (Kubernetes caps them near 2^63), and small enough that a hostile
// `1e999999999` cannot make a gigantic bigint.
const MAX_DIGITS = 64;
const MAX_EXPONENT = 64;
const NANO = 10n ** 9n;

/** Parses a quantity, or returns undefined when `text` is not one. */
export function parseQuantity(text: string): Quantity | undefined {
  const match = QUANTITY.exec(text.trim());
  if (!match) return undefined;
  const [, sign = "", number = "", suffix = ""] = match;
  const [whole = "", fraction = ""] = number.split(".");
  if (whole.length + fraction.length > MAX_DIGITS) return undefined;
  let numerator = BigInt(`${whole}${fraction}` || "0");
  let denominator = 10n ** BigInt(fraction.length);
  let format: QuantityFormat = "DecimalSI";
  if (suffix in BINARY_EXPONENT) {
    format = "BinarySI";
    numerator *= 1024n ** BigInt(BINARY_EXPONENT[suffix] ?? 0);
  } else if (/^[eE][+-]?\d+$/.test(suffix)) {
    format = "DecimalExponent";
    const exponent = Number(suffix.slice(1));
    if (Math.abs(exponent) > MAX_EXPONENT) return undefined;
    if (exponent >= 0) numerator *= 10n ** BigInt(exponent);
    else denominator *= 10n ** BigInt(-exponent);
  } else if (suffix !== "") {
    const exponent = DECIMAL_EXPONENT[suffix] ?? 0;
    if (exponent >= 0) numerator *= 10n ** BigInt(exponent);
    else denominator *= 10n ** BigInt(-exponent);
  }
  if (sign === "-") numerator = -numerator;
  return quantity(numerator, denominator, format);
}

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b`, by value. */
export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  const left = a.numerator * b.denominator;
  const right = b.numerator * a.denominator;
  return left < right ? -1 : left > right ? 1 : 0;
}

/** `q` times `factor` (an integer, or a decimal given as a number or string such as "1.5"), in q's format. */
export function multiplyQuantity(q: Quantity, factor: number | bigint | string): Quantity {
  const f = typeof factor === "bigint" ? quantity(factor, 1n, "DecimalSI") : parseDecimal(factor);
  if (!f) throw new RangeError(`multiplyQuantity: factor ${String(factor)} is not a finite decimal number`);
  return quantity(q.numerator * f.numerator, q.denominator * f.denominator, q.format);
}

/**
 * Kubernetes' canonical text: rounded up (away from zero) to a billionth; binary quantities as the
 * largest exact 1024-power suffix, falling back to decimal below 1024 or when not a whole number;
 * decimal ones as the largest exact power-of-1000 suffix. `500m`×2 is `1`, `256Mi`×2 is `512Mi`.
 */
export function formatQuantity(q: Quantity): string {
  // Round to nano, away from zero.
  const scaled = q.numerator * NANO;
  let nanos = scaled / q.denominator;
  if (scaled % q.denominator !== 0n) nanos += q.numerator < 0n ? -1n : 1n;
  if (nanos === 0n) return "0";
  const sign = nanos < 0n ? "-" : "";
  const magnitude = nanos < 0n ? -nanos : nanos;

  if (q.format === "BinarySI" && magnitude >= 1024n * NANO && magnitude % NANO === 0n) {
    let mantissa = magnitude / NANO;
    let exponent = 0;
    while (exponent < 6 && mantissa % 1024n === 0n) {
      mantissa /= 1024n;
      exponent++;
    }
    return `${sign}${mantissa}${BINARY_SUFFIX[exponent]}`;
  }

  // Decimal: the mantissa times 10^exponent, with the exponent a multiple of 3 from -9 up.
  let mantissa = magnitude;
  let exponent = -9;
  const maxExponent = q.format === "DecimalExponent" ? Number.POSITIVE_INFINITY : 18;
  while (exponent < maxExponent && mantissa % 1000n === 0n) {
    mantissa /= 1000n;
    exponent += 3;
  }
  let suffix: string;
  if (q.format === "DecimalExponent") suffix = exponent === 0 ? "" : `e${exponent}`;
  else suffix = exponent === 0 ? "" : (DECIMAL_SUFFIX.get(exponent) ?? "");
  return `${sign}${mantissa}${suffix}`;
}

/** The value as a JS number (approximate for huge or very precise quantities). */
export function quantityToNumber(q: Quantity): number {
  return Number(q.numerator) / Number(q.denominator);
}

function parseDecimal(value: number | string): Quantity | undefined {
  if (typeof value === "number" && !Number.isFinite(value)) return undefined;
  // String(1e-7) is "1e-7": the exponent form parses too.
  const parsed = parseQuantity(String(value));
  return parsed &&
    (typeof value === "number" || /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(value.trim()))
    ? parsed
    : undefined;
}

function quantity(numerator: bigint, denominator: bigint, format: QuantityFormat): Quantity {
  if (denominator < 0n) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const divisor = gcd(numerator < 0n ? -numerator : numerator, denominator);
  return Object.freeze({
    numerator: divisor > 1n ? numerator / divisor : numerator,
    denominator: divisor > 1n ? denominator / divisor : denominator,
    format,
  });
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a === 0n ? 1n : a;
}
