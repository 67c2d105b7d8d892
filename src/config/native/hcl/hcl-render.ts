// HCL text for values that have no source yet (added keys, replaced values), in `tofu fmt` style:
// `key = value`, two-space indentation per level, multi-line objects, single-line scalar tuples.
import { ConfigError, ConfigErrorCode } from "../../errors.ts";
import { formatSegments } from "../../path/format-path.ts";
import { isValidTemplate, parseLoneExpression } from "./hcl-syntax.ts";

export type ValuePath = readonly (string | number)[];

export interface RenderStyle {
  /** One level of indentation (the file's own, or two spaces). */
  readonly unit: string;
  /** Line ending of the file. */
  readonly eol: string;
}

const identifier = /^[A-Za-z_\u00c0-\uffff][A-Za-z0-9_\-\u00c0-\uffff]*$/;
const keywords = new Set(["true", "false", "null"]);

export function isIdentifier(key: string): boolean {
  return identifier.test(key) && !keywords.has(key);
}

export function invalidValue(where: string, path: ValuePath, why: string): ConfigError {
  const at = path.length === 0 ? where : `${where}: ${formatSegments(path)}`;
  return new ConfigError(ConfigErrorCode.InvalidValue, `${at}: ${why}`, { path: formatSegments(path) });
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (typeof value === "number") return `the number ${String(value)}`;
  if (value === undefined) return "an undefined value";
  if (typeof value === "object") return `a ${(value as object).constructor?.name ?? "object"}`;
  return `a ${typeof value}`;
}

/**
 * A quoted template for `value`. The view shows templates with their `${...}` and `%{...}` as
 * written, so those stay live; when that would not be valid HCL (an unclosed `${`), they are escaped
 * and the string is literal.
 */
export function quoteString(value: string): string {
  // Control characters are written as \u escapes, so the regex names them on purpose.
  // eslint-disable-next-line no-control-regex
  const escaped = value.replace(/[\\"\n\r\t\u0000-\u001f\u007f]/g, (c) => {
    switch (c) {
      case "\\":
        return "\\\\";
      case '"':
        return '\\"';
      case "\n":
        return "\\n";
      case "\r":
        return "\\r";
      case "\t":
        return "\\t";
      default:
        return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
    }
  });
  const quoted = `"${escaped}"`;
  if (!/[$%]\{/.test(value) || isValidTemplate(quoted)) return quoted;
  return `"${escaped.replace(/([$%])(?=\{)/g, "$1$1")}"`;
}

/** `X` for a string that is exactly `${X}` with X one expression (an opaque value written back). */
export function bareExpression(value: string): string | undefined {
  if (!value.startsWith("${") || !value.endsWith("}")) return undefined;
  const inner = value.slice(2, -1);
  return parseLoneExpression(inner) === undefined ? undefined : inner.trim();
}

export function renderKey(key: string): string {
  return isIdentifier(key) ? key : quoteString(key);
}

/** The expression text of a value; nested lines are indented from `indent`. */
export function renderExpression(
  value: unknown,
  indent: string,
  style: RenderStyle,
  where: string,
  path: ValuePath,
): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw invalidValue(where, path, `${describe(value)} has no HCL form`);
    return String(value);
  }
  if (typeof value === "string") return quoteString(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const inner = indent + style.unit;
    const items = value.map((item, i) => renderExpression(item, inner, style, where, [...path, i]));
    if (
      value.every((item) => item === null || typeof item !== "object") &&
      !items.some((i) => i.includes("\n"))
    ) {
      return `[${items.join(", ")}]`;
    }
    return `[${style.eol}${items.map((item) => `${inner}${item},${style.eol}`).join("")}${indent}]`;
  }
  if (isPlainObject(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return "{}";
    const inner = indent + style.unit;
    const lines = entries.map(
      ([key, item]) =>
        `${inner}${renderKey(key)} = ${renderExpression(item, inner, style, where, [...path, key])}${style.eol}`,
    );
    return `{${style.eol}${lines.join("")}${indent}}`;
  }
  throw invalidValue(where, path, `${describe(value)} has no HCL form`);
}

/** True for a value the view shows for nested blocks: a non-empty list of maps. */
export function isBlockList(value: unknown): value is Record<string, unknown>[] {
  return Array.isArray(value) && value.length > 0 && value.every(isPlainObject);
}

/** A block `type "label" ... { ... }` with `body`'s entries, starting at `indent` (not written). */
export function renderBlock(
  type: string,
  labels: readonly string[],
  body: unknown,
  indent: string,
  style: RenderStyle,
  where: string,
  path: ValuePath,
): string {
  if (!isPlainObject(body)) throw invalidValue(where, path, `a block must be a map, got ${describe(body)}`);
  const head = [type, ...labels.map((label) => quoteString(label))].join(" ");
  const entries = renderBodyEntries(body, indent + style.unit, style, where, path);
  return entries === "" ? `${head} {}` : `${head} {${style.eol}${entries}${indent}}`;
}

/** Lines for the entries of a body, each at `indent` and ending with a line break. */
export function renderBodyEntries(
  body: Record<string, unknown>,
  indent: string,
  style: RenderStyle,
  where: string,
  path: ValuePath,
): string {
  return Object.entries(body)
    .map(([key, value]) => renderBodyEntry(key, value, indent, style, where, [...path, key]))
    .join("");
}

/** One new body entry: nested blocks for a list of maps, else an attribute. */
export function renderBodyEntry(
  key: string,
  value: unknown,
  indent: string,
  style: RenderStyle,
  where: string,
  path: ValuePath,
): string {
  if (!isIdentifier(key)) throw invalidValue(where, path, `"${key}" is not a valid HCL attribute name`);
  if (isBlockList(value)) {
    return value
      .map(
        (item, i) => `${indent}${renderBlock(key, [], item, indent, style, where, [...path, i])}${style.eol}`,
      )
      .join("");
  }
  return `${indent}${key} = ${renderExpression(value, indent, style, where, path)}${style.eol}`;
}
