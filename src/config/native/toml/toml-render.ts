// TOML text for values the functions wrote: a changed scalar keeps the style of the text it replaces
// (basic or literal string, multi-line or not, integer base, float, date/time), a new value gets the
// plain style (basic strings, decimal integers), and a value TOML cannot hold (null) is refused.
import { ConfigError, ConfigErrorCode } from "../../errors.ts";
import { formatSegments } from "../../path/format-path.ts";
import type { PathSegment } from "./toml-model.ts";
import { dateTimeKind, type ScalarNode } from "./toml-syntax.ts";

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function invalidValue(path: readonly PathSegment[], what: string): ConfigError {
  const shown = path.length === 0 ? "(document)" : formatSegments(path);
  return new ConfigError(ConfigErrorCode.InvalidValue, `${shown}: ${what}`, { path: shown });
}

const BARE = /^[A-Za-z0-9_-]+$/;

export function renderKey(key: string): string {
  return BARE.test(key) ? key : basicString(key);
}

export function renderKeys(keys: readonly string[]): string {
  return keys.map(renderKey).join(".");
}

const shortEscapes: Readonly<Record<string, string>> = {
  "\b": "\\b",
  "\t": "\\t",
  "\n": "\\n",
  "\f": "\\f",
  "\r": "\\r",
  '"': '\\"',
  "\\": "\\\\",
};

function escapeControl(char: string): string {
  return shortEscapes[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, "0").toUpperCase()}`;
}

export function basicString(value: string): string {
  // eslint-disable-next-line no-control-regex
  return `"${value.replace(/[\u0000-\u001f\u007f"\\]/g, escapeControl)}"`;
}

// eslint-disable-next-line no-control-regex
const LITERAL_FORBIDDEN = /[\u0000-\u0008\u000a-\u001f\u007f']/;
// eslint-disable-next-line no-control-regex
const ML_LITERAL_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|\r(?!\n)|'''/;

function multilineBasic(value: string, leadingBreak: string): string {
  const body = value
    .replace(/\\/g, "\\\\")
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|\r(?!\n)/g, escapeControl)
    .replace(/"(?="|$)/g, '\\"');
  return `"""${leadingBreak}${body}"""`;
}

export function floatText(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (value === Infinity) return "inf";
  if (value === -Infinity) return "-inf";
  if (Number.isInteger(value)) {
    if (Object.is(value, -0)) return "-0.0";
    return Math.abs(value) < 1e21 ? `${value}.0` : String(value);
  }
  return String(value);
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/** An integer as TOML text in `base` (hex, octal and binary only for values that are not negative). */
function integerText(value: bigint, base: 2 | 8 | 10 | 16, upper: boolean): string {
  if (base === 10 || value < 0n) return value.toString();
  const digits = value.toString(base);
  const prefix = base === 16 ? "0x" : base === 8 ? "0o" : "0b";
  return prefix + (upper ? digits.toUpperCase() : digits);
}

function numberText(value: number): string {
  if (Number.isInteger(value)) {
    const big = BigInt(value);
    if (big >= INT64_MIN && big <= INT64_MAX) return big.toString();
  }
  return floatText(value);
}

/** A new value as inline TOML (strings basic, integers decimal, maps as inline tables). */
export function renderInline(value: unknown, path: readonly PathSegment[]): string {
  switch (typeof value) {
    case "string":
      return basicString(value);
    case "number":
      return numberText(value);
    case "bigint":
      if (value < INT64_MIN || value > INT64_MAX) throw invalidValue(path, "integer does not fit in 64 bits");
      return value.toString();
    case "boolean":
      return String(value);
    default:
      break;
  }
  if (Array.isArray(value)) {
    return `[${value.map((item, index) => renderInline(item, [...path, index])).join(", ")}]`;
  }
  if (isPlainObject(value)) {
    const entries = Object.entries(value).map(
      ([key, item]) => `${renderKey(key)} = ${renderInline(item, [...path, key])}`,
    );
    return entries.length === 0 ? "{}" : `{ ${entries.join(", ")} }`;
  }
  if (value === null || value === undefined) {
    throw invalidValue(path, "TOML has no null: remove the key or set a value");
  }
  throw invalidValue(path, `a ${typeof value} cannot be written as TOML`);
}

/**
 * `value` as the text replacing the scalar `node` (whose text is `raw`): in the node's style when it
 * can hold the value, else the plain style for the value's type.
 */
export function renderReplacement(
  node: ScalarNode,
  raw: string,
  value: unknown,
  path: readonly PathSegment[],
  newline: string,
): string {
  if (typeof value === "string") {
    if (node.type === "datetime") return dateTimeKind(value) ? value : basicString(value);
    if (node.type !== "string") return basicString(value);
    const leadingBreak = /^("""|''')\r?\n/.test(raw) || value.startsWith("\n") ? newline : "";
    switch (node.style) {
      case "basic":
        return basicString(value);
      case "literal":
        return LITERAL_FORBIDDEN.test(value) ? basicString(value) : `'${value}'`;
      case "ml-basic":
        return multilineBasic(value, leadingBreak);
      case "ml-literal":
        return ML_LITERAL_FORBIDDEN.test(value) || value.endsWith("'")
          ? multilineBasic(value, leadingBreak)
          : `'''${leadingBreak}${value}'''`;
    }
  }
  if (typeof value === "number" || typeof value === "bigint") {
    if (node.type === "float" && typeof value === "number") return floatText(value);
    if (node.type === "integer" && (typeof value === "bigint" || Number.isSafeInteger(value))) {
      const big = BigInt(value);
      if (big >= INT64_MIN && big <= INT64_MAX) {
        return integerText(big, node.base, node.base === 16 && /[A-F]/.test(raw));
      }
    }
  }
  return renderInline(value, path);
}
