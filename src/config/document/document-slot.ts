// One YAML document of a Unit text together with the top-level tokens that precede it.
import type { CST, Document } from "yaml";
import { isCollection, isScalar } from "yaml";
import type { DocumentState } from "./document-state.ts";

export interface DocumentSlot {
  /** Top-level tokens between the previous document and this one (comments, `...`, directives). */
  leading: CST.Token[];
  state: DocumentState;
  /**
   * False for documents that are empty, comment-only, `null`, `{}` or `[]` (spec §0 drops them):
   * they stay in the text but are not exposed as resources.
   */
  readonly resource: boolean;
}

/** Whether a composed document holds a resource (spec §0 parsing rule 5). */
export function isResourceDocument(document: Document.Parsed): boolean {
  const contents = document.contents;
  if (contents === null) return false;
  if (isScalar(contents)) return contents.value !== null;
  if (isCollection(contents)) return contents.items.length > 0;
  return true;
}

/** Whether the document token starts with a `---` marker. */
export function hasDocumentStart(token: CST.Document): boolean {
  return token.start.some((t) => t.type === "doc-start");
}
