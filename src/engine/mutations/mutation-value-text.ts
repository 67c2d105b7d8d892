// Renders a node's plain value as the YAML text MutationInfo.Value carries (spec §4.1): a scalar gives
// "10\n", a map gives block YAML ending in "\n", sequences unindented under their key like kyaml.
// Values are rendered on every mutation, so the common shapes (safe scalars, maps of them: labels,
// annotations, resources) are written directly, byte-identical to what the `yaml` package writes for
// them; everything else goes through `yaml`'s stringify.
import { stringify } from "yaml";

// A string that YAML 1.2 (core schema) reads back as the same string when written plain: no
// indicator at the start, no ": " or " #" inside, no trailing ":" or space, and not a null, bool or
// number.
const SAFE_PLAIN = /^[A-Za-z_/][A-Za-z0-9_./@+=-]*(?::[A-Za-z0-9_./@+=-]+)*$/;
const NOT_A_STRING =
  /^(?:null|Null|NULL|true|True|TRUE|false|False|FALSE|\.inf|\.Inf|\.INF|\.nan|\.NaN|\.NAN)$/;

export function renderYamlValue(value: unknown): string {
  const scalar = plainScalar(value);
  if (scalar !== undefined) return `${scalar}\n`;
  if (isSimpleMap(value, 0)) return renderMap(value, "");
  return stringify(value, { indent: 2, indentSeq: false, lineWidth: 0 });
}

function plainScalar(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isSafeInteger(value)) return String(value);
  if (typeof value === "boolean") return String(value);
  if (typeof value === "string" && SAFE_PLAIN.test(value) && !NOT_A_STRING.test(value)) return value;
  return undefined;
}

type SimpleMap = { [key: string]: SimpleMap | string | number | boolean };

/** A non-empty map of safe keys whose values are safe scalars or (up to a few levels) such maps. */
function isSimpleMap(value: unknown, depth: number): value is SimpleMap {
  if (depth > 8 || value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  if (entries.length === 0) return false;
  return entries.every(
    ([key, child]) =>
      plainScalar(key) !== undefined &&
      !/^[0-9]/.test(key) &&
      (plainScalar(child) !== undefined || isSimpleMap(child, depth + 1)),
  );
}

function renderMap(map: SimpleMap, indent: string): string {
  let text = "";
  for (const [key, child] of Object.entries(map)) {
    const scalar = plainScalar(child);
    text +=
      scalar !== undefined
        ? `${indent}${key}: ${scalar}\n`
        : `${indent}${key}:\n${renderMap(child as SimpleMap, `${indent}  `)}`;
  }
  return text;
}
