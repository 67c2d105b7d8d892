// JSON text as Go's encoding/json writes it: `<`, `>` and `&` escaped as \u003c, \u003e, \u0026 and the
// line/paragraph separators as \u2028/\u2029, so output bytes match ConfigHub's (cel-validate2 golden).
const GO_ESCAPES: Record<string, string> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

/** JSON.stringify plus Go's HTML-safe escapes; `indent` as MarshalIndent's. */
export function goJson(value: unknown, indent?: string): string {
  // Those characters can only occur inside JSON strings, so replacing them in the text is safe.
  return JSON.stringify(value, null, indent).replace(/[<>&\u2028\u2029]/g, (c) => GO_ESCAPES[c]!);
}
