// Field schemas shared by the wire entities, with ConfigHub's constraints (Slug pattern, label
// value charset, annotation length), and the conversions every entity uses.

export const uuidSchema = { type: "string", format: "uuid" } as const;

export const slugSchema = {
  type: "string",
  minLength: 1,
  maxLength: 128,
  pattern: "^[A-Za-z0-9]([\\-_.A-Za-z0-9]*[A-Za-z0-9])?$",
  description: "Unique URL-safe identifier for the entity.",
} as const;

const LABEL_CHAR = "[\\-_@/#$%&~+=!?.,:;(){}\\[\\]<>|A-Za-z0-9]";
export const labelValueSchema = {
  type: "string",
  maxLength: 128,
  pattern: `^${LABEL_CHAR}((${LABEL_CHAR}| )*${LABEL_CHAR})?$`,
} as const;
export const annotationValueSchema = { type: "string", maxLength: 1024 } as const;

export const labelsSchema = {
  type: "object",
  additionalProperties: labelValueSchema,
  description: "Label key/value pairs for grouping and filtering.",
} as const;
export const annotationsSchema = {
  type: "object",
  additionalProperties: annotationValueSchema,
  description: "Annotation key/value pairs for tools to attach information.",
} as const;
export const gatesSchema = { type: "object", additionalProperties: { type: "boolean" } } as const;
export const stringMapSchema = { type: "object", additionalProperties: { type: "string" } } as const;
export const uuidListSchema = { type: "array", items: uuidSchema } as const;
export const timestampSchema = { type: "string", format: "date-time" } as const;
export const int64Schema = { type: "integer", format: "int64" } as const;
export const base64Schema = { type: "string", format: "base64" } as const;

/** RFC 3339, as ConfigHub writes times. */
export function timestamp(date: Date | string): string {
  return (date instanceof Date ? date : new Date(date)).toISOString();
}

/** Go's zero time: what ConfigHub sends for an unset time (e.g. Revision.LiveAt). */
export const ZERO_TIME = "0001-01-01T00:00:00Z";

// The engine's encoder, re-exported for the wire mappers that import it from here.
export { toBase64 } from "../../engine/index.ts";

/** Copies only the defined optional UUIDs: ConfigHub omits an unset reference rather than sending null. */
export function optionalIds<K extends string>(ids: Record<K, string | null>): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const [key, value] of Object.entries(ids) as [K, string | null][])
    if (value !== null) out[key] = value;
  return out;
}
