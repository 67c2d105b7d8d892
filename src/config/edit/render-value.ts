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

/** Deepest plain value a write accepts (rendering and comparing values recurse per level). */
export const maxValueDepth = 128;

/**
 * Checks that a value is plain data: no functions, symbols, class instances, cycles, non-finite
 * numbers, or nesting deeper than `maxDepth` levels.
 */
export function assertPlainValue(value: unknown, where: string, maxDepth = maxValueDepth): void {
  const invalid = (problem: string) =>
    new ConfigError(ConfigErrorCode.InvalidValue, `cannot write ${problem} at ${where}`, { path: where });
  const onPath = new Set<unknown>();
  // Iterative walk: `exit` markers take a container off the current path once its children are done.
  const stack: { value: unknown; depth: number; exit?: true }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, depth, exit } = stack.pop()!;
    if (exit) {
      onPath.delete(current);
      continue;
    }
    if (current === null || typeof current === "string" || typeof current === "boolean") continue;
    if (typeof current === "number") {
      if (!Number.isFinite(current)) throw invalid(`the number ${current}`);
      continue;
    }
    const prototype = typeof current === "object" ? Object.getPrototypeOf(current) : undefined;
    if (!Array.isArray(current) && prototype !== Object.prototype && prototype !== null) {
      throw invalid(
        `a ${typeof current === "object" ? (prototype?.constructor?.name ?? "object") : typeof current}: only plain JSON-like data`,
      );
    }
    if (onPath.has(current)) throw invalid("a value that contains itself");
    if (depth >= maxDepth) throw invalid(`a value nested deeper than ${maxDepth} levels`);
    onPath.add(current);
    stack.push({ value: current, depth, exit: true });
    for (const child of Object.values(current as object)) stack.push({ value: child, depth: depth + 1 });
  }
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
