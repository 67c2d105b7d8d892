// A resource body as compact JSON the way Go's encoding/json writes a decoded YAML document: object
// keys sorted (byte-wise, as Go sorts map keys), no whitespace, HTML-significant characters escaped.
import { FunctionError, goJson } from "../../../src/engine/index.ts";

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

function canonical(value: unknown, path: string, resourceName: string): unknown {
  if (Array.isArray(value)) return value.map((item, i) => canonical(item, `${path}.${i}`, resourceName));
  if (value !== null && typeof value === "object") {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort(compareBytes)) {
      const child = path === "" ? key : `${path}.${key}`;
      sorted[key] = canonical((value as Record<string, unknown>)[key], child, resourceName);
    }
    return sorted;
  }
  if (typeof value === "number" && !Number.isFinite(value)) {
    // JSON has no Infinity or NaN; JSON.stringify would silently write null instead.
    throw new FunctionError(
      `resource ${resourceName}: value ${String(value)} at ${path || "the document root"} cannot be written as JSON`,
    );
  }
  return value;
}

/** `value` (a document's plain value) as Go-compatible compact JSON with sorted keys. */
export function jsonBody(value: unknown, resourceName: string): string {
  return goJson(canonical(value, "", resourceName));
}
