// Small random edits of a valid expression (insert a token or a few random characters, remove a few):
// the inputs that reach deepest into a parser, checker or compiler. Shared by the filter fuzz tests
// and the reliability suite's fuzz against the API.
import fc from "fast-check";

export type Edit = { readonly at: number; readonly remove: number; readonly insert: string };

/** An edit that inserts one of `tokens` or up to four random characters. */
export function textEdit(tokens: readonly string[]): fc.Arbitrary<Edit> {
  return fc.record({
    at: fc.nat(),
    remove: fc.nat({ max: 6 }),
    insert: fc.oneof(fc.constantFrom(...tokens), fc.string({ maxLength: 4, unit: "binary" })),
  });
}

/** Applies `edits` in order; positions wrap around the text as it is at each step. */
export function mutate(source: string, edits: readonly Edit[]): string {
  let text = source;
  for (const e of edits) {
    const at = text.length === 0 ? 0 : e.at % (text.length + 1);
    text = text.slice(0, at) + e.insert + text.slice(at + e.remove);
  }
  return text;
}
