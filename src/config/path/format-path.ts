// Resolved paths as text: segments joined with ".", keys escaped so that parsePath() reads the same
// segments back (design §9 fixes ConfigHub's "~0 does not round-trip" quirk).
import type { PathExpression, PathSegment } from "./ast.ts";
import { visitSegment } from "./ast.ts";

// A key that would not read back as one plain key is written in double quotes.
const needsQuotes = /^$|^[*?@|"]|#/;

/** Escapes one key: `~` before 0/1/2 becomes `~0`, `.` becomes `~1`; odd keys are quoted. */
export function formatKey(key: string): string {
  if (needsQuotes.test(key)) return `"${key.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  return key.replace(/~(?=[012])/g, "~0").replace(/\./g, "~1");
}

/** Joins resolved segments (map keys and array indices) into a path string. */
export function formatSegments(segments: readonly (string | number)[]): string {
  return segments.map((s) => (typeof s === "number" ? String(s) : formatKey(s))).join(".");
}

// Fields and bound keys end at ":" and "=", so those need quotes as well.
function formatField(field: string): string {
  return /[:=]/.test(field) ? `"${field.replace(/[\\"]/g, (c) => `\\${c}`)}"` : formatKey(field);
}

function formatSegment(segment: PathSegment): string {
  return visitSegment(segment, {
    key: (s) => formatKey(s.key),
    wildcard: () => "*",
    wildcardField: (s) => `*?${formatField(s.field)}${s.parameter ? `:${s.parameter}` : ""}`,
    wildcardKey: (s) => `*@:${s.parameter}`,
    match: (s) =>
      `?${formatField(s.field)}${s.parameter ? `:${s.parameter}` : ""}=${s.value === "*" ? '"*"' : formatKey(s.value)}`,
    boundKey: (s) => `@${formatField(s.key)}${s.parameter ? `:${s.parameter}` : ""}`,
    split: (s) => (s.parameter ? `|@${formatField(s.key)}:${s.parameter}` : `|${formatKey(s.key)}`),
  });
}

/** The canonical text of a path expression (parsePath(formatPath(e)) gives e back). */
export function formatPath(expression: PathExpression): string {
  const text = expression.segments.map(formatSegment).join(".");
  return expression.accessor === undefined ? text : `${text}#${expression.accessor}`;
}
