// Size and nesting limits for HCL text, checked before the (recursive) peggy parser sees it, so
// oversized or deeply nested input is a ConfigError naming the limit and where it was passed, never a
// stack overflow.
//
// Nesting is measured as the YAML view will nest: a top-level block is one level, a nested block two
// (a list of maps), and each tuple, object, parenthesis and template interpolation one more (they
// are what the parser recurses on), as does each `?` of a conditional chain on one line. The scan follows strings, comments and heredocs so brackets
// inside them do not count.
import { ConfigError, ConfigErrorCode } from "../../errors.ts";
import type { ParseLimits } from "../../parse/limits.ts";
import { positionAt } from "./hcl-position.ts";
import type { BodyItem } from "./hcl-syntax.ts";

interface Frame {
  readonly kind: "body" | "expr" | "string" | "interpolation";
  readonly weight: number;
  /** Body frames: an attribute's `=` was seen on the current line, so `{` opens an object. */
  inAttribute: boolean;
  /** `?` seen since the last comma or line break: each nests a conditional one level deeper. */
  conditionals: number;
}

function utf8Length(text: string, limit: number): number {
  return text.length * 3 <= limit ? text.length : Buffer.byteLength(text, "utf8");
}

const heredocStart = /<<-?([A-Za-z_\u00c0-\uffff][A-Za-z0-9_\-\u00c0-\uffff]*)[ \t]*\r?\n/y;

/** Offset just past the closing marker of a heredoc whose body starts at `from`, or the text's end. */
function skipHeredoc(text: string, from: number, marker: string): number {
  let lineStart = from;
  while (lineStart < text.length) {
    const newline = text.indexOf("\n", lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    const line = text.slice(lineStart, lineEnd).replace(/\r$/, "");
    if (line.trim() === marker) return lineStart + line.indexOf(marker) + marker.length;
    lineStart = lineEnd + 1;
  }
  return text.length;
}

/** Throws ConfigError `TOO_LARGE` or `TOO_DEEP` (with line and column) for text past `limits`. */
export function checkHclLimits(text: string, limits: ParseLimits): void {
  const size = utf8Length(text, limits.maxBytes);
  if (size > limits.maxBytes) {
    throw new ConfigError(
      ConfigErrorCode.TooLarge,
      `config data is ${size} bytes, more than the limit of ${limits.maxBytes} bytes`,
    );
  }
  const stack: Frame[] = [{ kind: "body", weight: 0, inAttribute: false, conditionals: 0 }];
  let depth = 0;
  const deeper = (levels: number, at: number): void => {
    depth += levels;
    if (depth > limits.maxDepth) throw tooDeep(text, at, limits);
  };
  const push = (kind: Frame["kind"], weight: number, at: number): void => {
    stack.push({ kind, weight, inAttribute: false, conditionals: 0 });
    deeper(weight, at);
  };
  const pop = (): void => {
    if (stack.length === 1) return;
    const frame = stack.pop()!;
    depth -= frame.weight + frame.conditionals;
  };
  const endConditionals = (frame: Frame): void => {
    depth -= frame.conditionals;
    frame.conditionals = 0;
  };

  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const top = stack[stack.length - 1]!;
    if (top.kind === "string") {
      if (c === "\\") i++;
      else if (c === '"' || c === "\n") pop();
      else if ((c === "$" || c === "%") && text[i + 1] === c && text[i + 2] === "{") i += 2;
      else if ((c === "$" || c === "%") && text[i + 1] === "{") {
        push("interpolation", 1, i);
        i++;
      }
      continue;
    }
    const next = text[i + 1];
    if (c === "#" || (c === "/" && next === "/")) {
      const newline = text.indexOf("\n", i);
      i = (newline === -1 ? text.length : newline) - 1;
    } else if (c === "/" && next === "*") {
      const close = text.indexOf("*/", i + 2);
      i = close === -1 ? text.length : close + 1;
    } else if (c === '"') {
      push("string", 0, i);
    } else if (c === "<" && next === "<") {
      heredocStart.lastIndex = i;
      const match = heredocStart.exec(text);
      if (match) i = skipHeredoc(text, i + match[0].length, match[1]!) - 1;
      else i++;
    } else if (c === "{") {
      if (top.kind === "body" && !top.inAttribute) push("body", stack.length === 1 ? 1 : 2, i);
      else push("expr", 1, i);
    } else if (c === "[" || c === "(") {
      push("expr", 1, i);
    } else if (c === "}" || c === "]" || c === ")") {
      pop();
    } else if (c === "?") {
      top.conditionals++;
      deeper(1, i);
    } else if (c === "\n" || c === ",") {
      endConditionals(top);
      if (top.kind === "body" && c === "\n") top.inAttribute = false;
    } else if (top.kind === "body") {
      if (c === "=" && next !== "=" && !"=!<>".includes(text[i - 1] ?? "")) top.inAttribute = true;
    }
  }
}

/**
 * Labels nest too, which the scan of the text cannot tell from strings: each label of a nested block,
 * and each of a top-level block's past the second, is one more map level of the YAML view. Checked on
 * the parsed blocks (with the levels their bodies add), before anything recurses over the view: a
 * block with 3,000 labels overflowed the stack. Expressions are left to the scan and the view's own
 * check, so the view's depth stays within twice the limit until then.
 */
export function checkHclLabelDepth(text: string, items: readonly BodyItem[], limits: ParseLimits): void {
  const walk = (body: readonly BodyItem[], depth: number, topLevel: boolean): void => {
    for (const item of body) {
      if (item.kind !== "block") continue;
      // A top-level block is its document (one level, two labels in its metadata); a nested block a
      // list of maps (two levels) under its labels.
      const labelLevels = topLevel ? Math.max(0, item.labels.length - 2) : item.labels.length;
      const base = depth + (topLevel ? 1 : 2);
      if (base + labelLevels > limits.maxDepth) {
        const label = item.labels[item.labels.length - labelLevels + (limits.maxDepth - base)];
        throw tooDeep(text, label?.start ?? item.start, limits);
      }
      walk(item.items, base + labelLevels, false);
    }
  };
  walk(items, 0, true);
}

function tooDeep(text: string, at: number, limits: ParseLimits): ConfigError {
  const { line, column } = positionAt(text, at);
  return new ConfigError(
    ConfigErrorCode.TooDeep,
    `HCL nested deeper than ${limits.maxDepth} levels at line ${line}, column ${column}`,
    { line, column },
  );
}
