// The YAML text of a decoded view (maps, arrays, strings, numbers, booleans), written directly:
// `yaml`'s stringify was two thirds of the time to decode a TOML or .env file. Block style, two-space
// indent; a string or key is plain only when YAML 1.2 reads it back as that same string, otherwise it
// is a JSON string (which is a valid YAML double-quoted scalar).

// Plain scalars that stay strings: no indicator at the start, no `: ` or ` #`, not a number.
const PLAIN = /^[A-Za-z_/][A-Za-z0-9_./-]*(?: [A-Za-z0-9_./-]+)*$/;
const SPECIAL = /^(?:true|false|null|yes|no|on|off|y|n|~)$/i;

function scalarString(value: string): string {
  return PLAIN.test(value) && !SPECIAL.test(value) ? value : JSON.stringify(value);
}

function numberText(value: number): string {
  if (Number.isNaN(value)) return ".nan";
  if (value === Infinity) return ".inf";
  if (value === -Infinity) return "-.inf";
  return Object.is(value, -0) ? "-0.0" : String(value);
}

/** A view's mapping: a plain object (TOML, .env) or a Map (HCL, Properties keep key order in one). */
type ViewMapping = Record<string, unknown> | ReadonlyMap<string, unknown>;

function isMap(value: unknown): value is ViewMapping {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function entriesOf(map: ViewMapping): Iterable<[string, unknown]> {
  return map instanceof Map ? map.entries() : Object.entries(map);
}

function sizeOf(map: ViewMapping): number {
  return map instanceof Map ? map.size : Object.keys(map).length;
}

function scalarText(value: unknown): string {
  switch (typeof value) {
    case "string":
      return scalarString(value);
    case "number":
      return numberText(value);
    case "boolean":
      return String(value);
    case "bigint":
      return value.toString();
    default:
      return "null";
  }
}

function emptyOrUndefined(value: unknown): string | undefined {
  if (Array.isArray(value)) return value.length === 0 ? "[]" : undefined;
  if (isMap(value)) return sizeOf(value) === 0 ? "{}" : undefined;
  return scalarText(value);
}

function writeMap(map: ViewMapping, indent: string, out: string[], firstPrefix?: string): void {
  let first = true;
  for (const [key, value] of entriesOf(map)) {
    const prefix = first && firstPrefix !== undefined ? firstPrefix : indent;
    first = false;
    const inline = emptyOrUndefined(value);
    if (inline !== undefined) {
      out.push(`${prefix}${scalarString(key)}: ${inline}\n`);
    } else {
      out.push(`${prefix}${scalarString(key)}:\n`);
      writeNested(value, `${indent}  `, out);
    }
  }
}

function writeSeq(items: readonly unknown[], indent: string, out: string[]): void {
  for (const item of items) {
    const inline = emptyOrUndefined(item);
    if (inline !== undefined) out.push(`${indent}- ${inline}\n`);
    else if (isMap(item)) writeMap(item, `${indent}  `, out, `${indent}- `);
    else {
      out.push(`${indent}-\n`);
      writeNested(item, `${indent}  `, out);
    }
  }
}

function writeNested(value: unknown, indent: string, out: string[]): void {
  if (Array.isArray(value)) writeSeq(value, indent, out);
  else writeMap(value as ViewMapping, indent, out);
}

/** YAML text for one document holding `value` (a map). */
export function viewYaml(value: ViewMapping): string {
  const out: string[] = [];
  if (sizeOf(value) === 0) return "{}\n";
  writeMap(value, "", out);
  return out.join("");
}
