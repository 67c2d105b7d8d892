// Renders plain values as YAML text in the style of the document they go into: its indentation
// step, whether block sequences are indented under their key, and the quoting rules of scalar-style.
import { stringify } from "yaml";
import { ConfigError, ConfigErrorCode } from "../errors.ts";
import { inlineScalar, keySource } from "./render-scalar.ts";

export interface RenderStyle {
  /** Spaces per nesting level. */
  readonly indent: number;
  /** Whether `- item` lines are indented under their key (`key:\n  - a`) or not (`key:\n- a`). */
  readonly indentSeq: boolean;
  readonly eol: string;
}

/** Checks that a value is plain data (no functions, symbols, cycles, non-finite numbers). */
export function assertPlainValue(value: unknown, where: string, seen = new Set<unknown>()): void {
  if (value === null || typeof value === "string" || typeof value === "boolean") return;
  if (typeof value === "number") {
    if (Number.isFinite(value)) return;
    throw new ConfigError(ConfigErrorCode.InvalidValue, `cannot write the number ${value} at ${where}`, {
      path: where,
    });
  }
  if (
    typeof value === "object" &&
    (Array.isArray(value) ||
      Object.getPrototypeOf(value) === Object.prototype ||
      Object.getPrototypeOf(value) === null)
  ) {
    if (seen.has(value)) {
      throw new ConfigError(
        ConfigErrorCode.InvalidValue,
        `cannot write a value that contains itself at ${where}`,
        {
          path: where,
        },
      );
    }
    seen.add(value);
    for (const child of Object.values(value as object)) assertPlainValue(child, where, seen);
    seen.delete(value);
    return;
  }
  throw new ConfigError(
    ConfigErrorCode.InvalidValue,
    `cannot write a ${typeof value} at ${where}: only plain JSON-like data`,
    {
      path: where,
    },
  );
}

function render(value: unknown, style: RenderStyle): string {
  return stringify(value, {
    indent: style.indent,
    indentSeq: style.indentSeq,
    lineWidth: 0,
    minContentWidth: 0,
    compat: "yaml-1.1",
    flowCollectionPadding: false,
    aliasDuplicateObjects: false,
  });
}

function withEol(text: string, eol: string): string {
  return eol === "\n" ? text : text.replace(/\n/g, eol);
}

/** Block-style text of `value` with every line indented by `indent` spaces (no final newline). */
export function renderBlock(value: unknown, indent: number, style: RenderStyle): string {
  const pad = " ".repeat(indent);
  const text = render(value, style).replace(/\n$/, "");
  return withEol(
    text
      .split("\n")
      .map((line) => (line === "" ? line : pad + line))
      .join("\n"),
    style.eol,
  );
}

/**
 * One-line flow-style text of `value` (`{a: 1}`, `[x, "y\nz"]`, or a scalar). Written here rather
 * than by `yaml`'s stringify, which breaks long or multi-line flow content over indented lines that
 * would not fit wherever the text is grafted.
 */
export function renderFlow(value: unknown, style: RenderStyle): string {
  if (Array.isArray(value)) return `[${value.map((item) => renderFlow(item, style)).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).map(
      ([key, item]) => `${keySource(key, true)}: ${renderFlow(item, style)}`,
    );
    return `{${entries.join(", ")}}`;
  }
  return inlineScalar(value as string | number | boolean | null, 0, true, style.eol);
}

/** True for values that render as a block collection (non-empty maps and arrays). */
export function isBlockCollection(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return value !== null && typeof value === "object" && Object.keys(value).length > 0;
}
