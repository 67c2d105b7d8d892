// Semantic comparison helpers: YAML as data (every document's plain value), comments as a set, JSON
// as data. Formatting (quoting, sequence indentation) is not compared: ConfigHub's serialiser
// reformats, ours keeps the input's bytes (design §3).
import { Lexer, parseAllDocuments } from "yaml";

/** Plain values of the non-empty documents of a multi-document YAML text. */
export function yamlData(text: string): unknown[] {
  return parseAllDocuments(text)
    .map((document) => {
      if (document.errors.length > 0) throw new Error(`invalid YAML: ${document.errors[0]!.message}`);
      return document.toJS() as unknown;
    })
    .filter((value) => value !== null && value !== undefined && !isEmptyCollection(value));
}

function isEmptyCollection(value: unknown): boolean {
  return typeof value === "object" && value !== null && Object.keys(value).length === 0;
}

/** The comments of a YAML text, as written (`# text`), trimmed. */
export function yamlComments(text: string): string[] {
  return Array.from(new Lexer().lex(text))
    .filter((token) => token.startsWith("#"))
    .map((token) => token.trim());
}

/** The printed OUTPUT section as data: JSON when it parses as JSON, otherwise YAML (a YAML payload). */
export function outputData(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return yamlData(text);
  }
}
