// The indentation habits of a document, so inserted lines look like their neighbours: the
// indentation step and whether block sequences are indented under their key.
import type { CST } from "yaml";
import type { RenderStyle } from "./render-value.ts";

const defaultStep = 2;

export function documentLayout(document: CST.Document, eol: string): RenderStyle {
  let step: number | undefined;
  let indentSeq: boolean | undefined;
  const stack: CST.Token[] = document.value ? [document.value] : [];
  while (stack.length > 0 && (step === undefined || indentSeq === undefined)) {
    const token = stack.pop()!;
    if (token.type !== "block-map" && token.type !== "block-seq" && token.type !== "flow-collection")
      continue;
    for (const item of token.items) {
      const value = item.value;
      if (!value) continue;
      if (token.type === "block-map" && value.type === "block-map" && step === undefined) {
        const delta = value.indent - token.indent;
        if (delta > 0) step = delta;
      }
      if (token.type === "block-map" && value.type === "block-seq" && indentSeq === undefined) {
        indentSeq = value.indent > token.indent;
        if (indentSeq && step === undefined) step = value.indent - token.indent;
      }
      stack.push(value);
    }
  }
  return { indent: step ?? defaultStep, indentSeq: indentSeq ?? false, eol };
}
