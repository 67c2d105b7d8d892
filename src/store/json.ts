// jsonb helpers shared by the repositories.

/**
 * A jsonb parameter, as JSON text: pg would otherwise turn a JS array into a PostgreSQL array
 * literal, and PGlite and pg would disagree about the same value.
 */
export function json(value: unknown): string {
  return JSON.stringify(value);
}

/** Equality of two flat maps (Labels, DeleteGates, ...), whatever their key order: jsonb sorts keys. */
export function sameMap(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}
