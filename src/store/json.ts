// jsonb parameters travel as JSON text: pg would otherwise turn a JS array into a PostgreSQL array
// literal, and PGlite and pg would disagree about the same value.
export function json(value: unknown): string {
  return JSON.stringify(value);
}
