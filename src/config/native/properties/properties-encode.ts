// Writes an edited YAML view back onto the properties text it was decoded from, touching only what
// changed: a changed value rewrites that entry's value text (its key, separator, indentation and line
// break kept), a removed key removes its line(s), a new key is a new line after the last entry that
// shares the longest dotted prefix with it (its sibling) or, with none, at the end. Comments, blank
// lines, escapes and the order of the other entries are the text's own bytes.
import { ConfigError, ConfigErrorCode } from "../../errors.ts";
import { escapeKey, escapeValue } from "./properties-escape.ts";
import type { PropertiesEntry } from "./properties-lexer.ts";
import { typedValue, type PropertiesScalar } from "./properties-tree.ts";

/** The decoded text the encoder works from. */
export interface PropertiesSource {
  readonly text: string;
  readonly entries: readonly PropertiesEntry[];
}

function invalid(message: string, path?: string): ConfigError {
  return new ConfigError(ConfigErrorCode.InvalidValue, message, path === undefined ? {} : { path });
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof Date);
}

/**
 * The flat `key → value` list of a view document, in its order. Nested mappings and sequences
 * become dotted keys (`a.b`, `list.0`); an empty mapping or sequence has no properties form and
 * writes nothing.
 */
function flatten(document: unknown): Map<string, PropertiesScalar | null> {
  if (!isMapping(document)) {
    throw invalid(`AppConfig/Properties data must be one mapping of keys to values, got ${kindOf(document)}`);
  }
  const out = new Map<string, PropertiesScalar | null>();
  const visit = (value: unknown, key: string): void => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, `${key}.${i}`));
    } else if (isMapping(value)) {
      for (const [k, v] of Object.entries(value)) visit(v, `${key}.${k}`);
    } else {
      if (out.has(key)) throw invalid(`AppConfig/Properties: two values for the key ${key}`, key);
      if (value === null || typeof value === "string" || typeof value === "boolean") out.set(key, value);
      else if (typeof value === "number" && Number.isFinite(value)) out.set(key, value);
      else
        throw invalid(
          `AppConfig/Properties: the value of ${key} (${kindOf(value)}) has no properties form`,
          key,
        );
    }
  };
  for (const [k, v] of Object.entries(document)) visit(v, k);
  return out;
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a sequence";
  if (value instanceof Date) return "a timestamp";
  return typeof value === "object" ? "a mapping" : `a ${typeof value}`;
}

function valueText(value: PropertiesScalar | null): string {
  return value === null ? "" : escapeValue(String(value));
}

function commonSegments(x: readonly string[], y: readonly string[]): number {
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n++;
  return n;
}

function lineBreakOf(text: string): string {
  if (text.includes("\r\n")) return "\r\n";
  if (text.includes("\n")) return "\n";
  return text.includes("\r") ? "\r" : "\n";
}

/** The separator new lines copy: the sibling's (or the first entry's) when it stays on one line. */
function separatorOf(text: string, entry: PropertiesEntry | undefined): string {
  if (!entry) return "=";
  const separator = text.slice(entry.keyEnd, entry.valueStart);
  return separator !== "" && !/[\r\n\\]/.test(separator) ? separator : "=";
}

function indentationOf(text: string, entry: PropertiesEntry | undefined): string {
  return entry ? (/^[ \t\f]*/.exec(text.slice(entry.start, entry.keyEnd))?.[0] ?? "") : "";
}

/** The properties text for `documents` (the YAML view's plain values after the edits). */
export function encodeProperties(source: PropertiesSource, documents: readonly unknown[]): string {
  if (documents.length > 1) {
    throw invalid(`AppConfig/Properties data holds one document, got ${documents.length}`);
  }
  const { text, entries } = source;
  const leaves = flatten(documents[0] ?? {});

  const lastIndex = new Map<string, number>();
  entries.forEach((entry, i) => lastIndex.set(entry.key, i));

  // New keys go after their closest kept sibling, in the view's order.
  const after = new Map<number, string[]>();
  const atEnd: string[] = [];
  const eol = lineBreakOf(text);
  let kept: { index: number; segments: string[] }[] | undefined;
  for (const [key, value] of leaves) {
    if (lastIndex.has(key)) continue;
    kept ??= entries.flatMap((entry, index) =>
      leaves.has(entry.key) ? [{ index, segments: entry.key.split(".") }] : [],
    );
    const segments = key.split(".");
    let anchor = -1;
    let best = 0;
    kept.forEach(({ index: i, segments: other }) => {
      const shared = commonSegments(segments, other);
      if (shared >= best && shared > 0) {
        best = shared;
        anchor = i;
      }
    });
    const model = entries[anchor] ?? entries.find((e) => leaves.has(e.key));
    const line = indentationOf(text, model) + escapeKey(key) + separatorOf(text, model) + valueText(value);
    if (anchor < 0) atEnd.push(line);
    else after.set(anchor, [...(after.get(anchor) ?? []), line]);
  }

  let out = "";
  let cursor = 0;
  entries.forEach((entry, i) => {
    out += text.slice(cursor, entry.start);
    cursor = entry.end;
    if (!leaves.has(entry.key)) return; // removed: its lines go
    const value = leaves.get(entry.key)!;
    if (lastIndex.get(entry.key) !== i || typedValue(entry.value) === value) {
      // Unchanged, or an earlier duplicate (java.util.Properties reads the last one): kept as is.
      out += text.slice(entry.start, entry.end);
    } else {
      const separator = entry.valueStart === entry.keyEnd ? "=" : "";
      out +=
        text.slice(entry.start, entry.valueStart) +
        separator +
        valueText(value) +
        text.slice(entry.contentEnd, entry.end);
    }
    const added = after.get(i);
    if (added) {
      if (entry.end === entry.contentEnd) out += eol;
      out += added.map((line) => line + eol).join("");
    }
  });
  out += text.slice(cursor);
  if (atEnd.length > 0) {
    if (out !== "" && !out.endsWith("\n") && !out.endsWith("\r")) out += eol;
    out += atEnd.map((line) => line + eol).join("");
  }
  return out;
}
