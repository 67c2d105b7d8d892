// UUID literals: the canonical 8-4-4-4-12 hex form, compared in lower case (PostgreSQL's uuid type
// and the jsonb arrays of IDs both hold lower-case text).
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** The lower-case form of a UUID, or undefined when `text` is not one. */
export function normaliseUuid(text: string): string | undefined {
  return UUID.test(text) ? text.toLowerCase() : undefined;
}
