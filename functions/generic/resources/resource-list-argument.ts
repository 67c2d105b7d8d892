// Reading a ResourceList passed as a JSON string argument (upsert-resource), with errors that say
// which item and field is wrong instead of Go's "cannot unmarshal ... into Go value".
import { FunctionError } from "../../../src/engine/index.ts";
import type { Resource } from "../../../src/engine/index.ts";

const STRING_FIELDS = [
  "ResourceName",
  "ResourceNameWithoutScope",
  "ResourceType",
  "ResourceCategory",
  "ResourceBody",
];

function kindOf(value: unknown): string {
  if (value === null) return "null";
  return Array.isArray(value) ? "array" : typeof value;
}

function invalid(parameter: string, detail: string): FunctionError {
  return new FunctionError(`failed to unmarshal ${parameter} argument: ${detail}`);
}

/** Parses `text` as a ResourceList; `null` reads as an empty list, like Go's nil slice. */
export function parseResourceList(text: string, parameter: string): Resource[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalid(parameter, error instanceof Error ? error.message : String(error));
  }
  if (value === null) return [];
  if (!Array.isArray(value))
    throw invalid(parameter, `expected a JSON array of resources, got ${kindOf(value)}`);
  return value.map((item: unknown, i) => {
    if (item === null || typeof item !== "object" || Array.isArray(item)) {
      throw invalid(parameter, `item ${i} is ${kindOf(item)}, expected an object`);
    }
    const record = item as Record<string, unknown>;
    for (const field of STRING_FIELDS) {
      const fieldValue = record[field];
      if (fieldValue !== undefined && fieldValue !== null && typeof fieldValue !== "string") {
        throw invalid(parameter, `item ${i}: ${field} is ${kindOf(fieldValue)}, expected a string`);
      }
    }
    const text = (field: string): string =>
      typeof record[field] === "string" ? (record[field] as string) : "";
    return {
      ResourceName: text("ResourceName"),
      ResourceNameWithoutScope: text("ResourceNameWithoutScope"),
      ResourceType: text("ResourceType"),
      ResourceCategory: text("ResourceCategory") as Resource["ResourceCategory"],
      ResourceBody: text("ResourceBody"),
    };
  });
}
