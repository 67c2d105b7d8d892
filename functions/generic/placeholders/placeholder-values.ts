// Placeholders (spec §0): values that mark an attribute as still to be filled in. A string is a
// placeholder if it contains `confighubplaceholder` (or the deprecated `replaceme`); an int only if
// it is exactly 999999999. Booleans have none.

export const PLACEHOLDER_STRING = "confighubplaceholder";
export const DEPRECATED_PLACEHOLDER_STRING = "replaceme";
export const PLACEHOLDER_INT = 999999999;

/** Whether a string still holds the current placeholder (what get-needed and set-default-names test). */
export function holdsPlaceholder(value: string): boolean {
  return value.includes(PLACEHOLDER_STRING);
}

/** Whether a string holds the current or the deprecated placeholder. */
export function holdsAnyPlaceholder(value: string): boolean {
  return value.includes(PLACEHOLDER_STRING) || value.includes(DEPRECATED_PLACEHOLDER_STRING);
}
