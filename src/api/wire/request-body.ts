// Request body schemas derived from an entity's wire schema, so a client can send back what it
// read: writable fields are validated, read-only fields are accepted and ignored (ConfigHub:
// "readonly ignored"), anything else is rejected as unsupported rather than silently dropped.

type Schema = Record<string, unknown>;
interface EntitySchema {
  readonly properties: Readonly<Record<string, Schema>>;
}

function readOnlyFields(
  entity: EntitySchema,
  writable: Readonly<Record<string, Schema>>,
): Record<string, Schema> {
  const fields: Record<string, Schema> = {};
  for (const name of Object.keys(entity.properties)) {
    if (!(name in writable)) fields[name] = { description: "Read-only: ignored." };
  }
  // Version is read-only for creates; PATCH bodies list it as writable (optimistic concurrency).
  return fields;
}

/** POST body: writable fields as specified, `required` among them. */
export function createBodySchema(
  entity: EntitySchema,
  writable: Readonly<Record<string, Schema>>,
  required: readonly string[],
): Schema {
  return {
    type: "object",
    properties: { ...readOnlyFields(entity, writable), ...writable },
    required: [...required],
    additionalProperties: false,
  };
}

/**
 * PATCH body (JSON merge patch, RFC 7396): every writable field optional and nullable (null
 * removes it), and each map entry nullable (null removes that key). `Version`, when sent, must be
 * the current one. Fields in `notNull` cannot be removed.
 */
export function patchBodySchema(
  entity: EntitySchema,
  writable: Readonly<Record<string, Schema>>,
  notNull: readonly string[],
): Schema {
  const properties: Record<string, Schema> = { ...readOnlyFields(entity, writable) };
  for (const [name, schema] of Object.entries(writable)) {
    const patchable =
      schema.type === "object" && typeof schema.additionalProperties === "object"
        ? { ...schema, additionalProperties: { anyOf: [schema.additionalProperties, { type: "null" }] } }
        : schema;
    properties[name] = notNull.includes(name) ? patchable : { anyOf: [patchable, { type: "null" }] };
  }
  properties.Version = {
    type: "integer",
    description: "The Version read; a different current Version is a 409.",
  };
  return { type: "object", properties, additionalProperties: false };
}

/**
 * PUT body (ConfigHub's UpdateX: the whole entity, as read): the create body with `Version`
 * required, so a full replace never overwrites a change the client has not seen.
 */
export function updateBodySchema(create: Schema): Schema {
  const properties = create.properties as Record<string, Schema>;
  const required = (create.required as string[] | undefined) ?? [];
  return {
    ...create,
    properties: {
      ...properties,
      Version: {
        type: "integer",
        description: "The Version read (required); a different current Version is a 409.",
      },
    },
    required: [...required.filter((name) => name !== "Version"), "Version"],
  };
}
