// The YAML view of a properties text: one nested mapping, `a.b.c=v` → `a: {b: {c: v}}`, in the order
// the keys first appear. Values are typed as ConfigHub reads them: a decimal integer (no leading zero,
// within ±2^53) is an int, `true`/`false` a bool, anything else (`1.0.0`, `3.14`, `0123`, ``) a string.
//
// Rules where the flat format and a tree disagree (docs/toolchains.md):
// - A key that is also the prefix of other keys (`a=1` and `a.b=2`, common in message bundles) keeps
//   its value; each longer key is placed, with its remaining segments as one literal dotted key, in
//   the mapping that holds the shortest such prefix: `{a: 1, "a.b": 2}` (path `"a.b"` or `a~1b`).
// - A key repeated in the text has its last value (as java.util.Properties), at its first position.
import { ConfigError, ConfigErrorCode } from "../../errors.ts";
import type { ParseLimits } from "../../parse/limits.ts";
import type { PropertiesEntry } from "./properties-lexer.ts";

export type PropertiesScalar = string | number | boolean;
export type PropertiesTree = Map<string, PropertiesScalar | PropertiesTree>;

const INTEGER = /^-?(?:0|[1-9][0-9]*)$/;

/** A value's type in the YAML view. */
export function typedValue(text: string): PropertiesScalar {
  if (text === "true") return true;
  if (text === "false") return false;
  if (INTEGER.test(text)) {
    const n = Number(text);
    if (Number.isSafeInteger(n)) return n;
  }
  return text;
}

/** The nested mapping of `entries`. Throws `TOO_DEEP` (with the line) past `limits.maxDepth`. */
export function propertiesTree(entries: readonly PropertiesEntry[], limits: ParseLimits): PropertiesTree {
  const keys = new Set(entries.map((e) => e.key));
  const root: PropertiesTree = new Map();
  for (const entry of entries) {
    const segments = entry.key.split(".");
    // Nest up to the first prefix that is itself a key; the rest stays one dotted key.
    let split = segments.length;
    let prefix = segments[0]!;
    for (let j = 1; j < segments.length; j++) {
      if (keys.has(prefix)) {
        split = j;
        break;
      }
      prefix += `.${segments[j]}`;
    }
    if (split > limits.maxDepth) {
      throw new ConfigError(
        ConfigErrorCode.TooDeep,
        `properties key at line ${entry.line} nests ${split} levels deep, more than the limit of ${limits.maxDepth}`,
        { line: entry.line, column: 1 },
      );
    }
    let map = root;
    for (let j = 0; j < split - 1; j++) {
      const segment = segments[j]!;
      let child = map.get(segment);
      if (!(child instanceof Map)) {
        child = new Map();
        map.set(segment, child);
      }
      map = child;
    }
    map.set(segments.slice(split - 1).join("."), typedValue(entry.value));
  }
  return root;
}
