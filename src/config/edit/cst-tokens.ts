// Small helpers over the `yaml` CST: making whitespace tokens, finding the CST item of a node, and
// keeping line ends intact when items are added or removed.
import { CST, type Node, type YAMLSeq } from "yaml";

export type CollectionToken = CST.BlockMap | CST.BlockSequence | CST.FlowCollection;

export function spaceToken(width: number): CST.SourceToken {
  return { type: "space", offset: -1, indent: 0, source: " ".repeat(width) };
}

export function newlineToken(eol: string): CST.SourceToken {
  return { type: "newline", offset: -1, indent: 0, source: eol };
}

export function commentToken(text: string): CST.SourceToken {
  return { type: "comment", offset: -1, indent: 0, source: text };
}

export function isCollectionToken(token: CST.Token | null | undefined): token is CollectionToken {
  return token?.type === "block-map" || token?.type === "block-seq" || token?.type === "flow-collection";
}

/** The CST token a node was composed from (undefined for empty values). */
export function sourceToken(node: Node | null | undefined): CST.Token | undefined {
  return (node as { srcToken?: CST.Token } | null | undefined)?.srcToken;
}

/** Items that hold an entry, not only comments, blank lines or a trailing comma. */
export function isEntryItem(token: CollectionToken, item: CST.CollectionItem): boolean {
  if (token.type === "block-seq") return item.start.some((t) => t.type === "seq-item-ind");
  return item.key !== undefined || item.sep !== undefined || item.value !== undefined;
}

/** The CST item of the array element at `index`. */
export function sequenceItem(sequence: YAMLSeq, index: number): CST.CollectionItem | undefined {
  const token = sourceToken(sequence);
  if (!isCollectionToken(token)) return undefined;
  const valueToken = sourceToken(sequence.items[index] as Node | null);
  if (valueToken) {
    const item = token.items.find((i) => i.value === valueToken);
    if (item) return item;
  }
  return token.items.filter((i) => isEntryItem(token, i))[index];
}

export function itemText(item: CST.CollectionItem): string {
  return CST.stringify(item);
}

/** Adds a line break at the very end of the token's text (for text that ended the file). */
export function appendNewline(token: CST.Token | CST.CollectionItem, eol: string): void {
  if (!("type" in token)) {
    const last = token.value ?? undefined;
    if (last) appendNewline(last, eol);
    else (token.sep ?? token.start).push(newlineToken(eol));
    return;
  }
  switch (token.type) {
    case "block-map":
    case "block-seq": {
      const last = token.items[token.items.length - 1];
      if (last) appendNewline(last, eol);
      return;
    }
    case "flow-collection":
      token.end.push(newlineToken(eol));
      return;
    case "block-scalar":
      token.source += eol;
      return;
    case "scalar":
    case "alias":
    case "single-quoted-scalar":
    case "double-quoted-scalar":
      (token.end ??= []).push(newlineToken(eol));
      return;
    default:
      return;
  }
}

/** Removes one line break from the very end of the token's text, if it ends with one. */
export function removeFinalNewline(token: CST.Token | CST.CollectionItem): void {
  if (!("type" in token)) {
    if (token.value) removeFinalNewline(token.value);
    else popNewline(token.sep ?? token.start);
    return;
  }
  switch (token.type) {
    case "block-map":
    case "block-seq": {
      const last = token.items[token.items.length - 1];
      if (last) removeFinalNewline(last);
      return;
    }
    case "flow-collection":
      popNewline(token.end);
      return;
    case "block-scalar":
      token.source = token.source.replace(/\r?\n$/, "");
      return;
    case "scalar":
    case "alias":
    case "single-quoted-scalar":
    case "double-quoted-scalar":
      if (token.end) popNewline(token.end);
      return;
    default:
      return;
  }
}

function popNewline(tokens: CST.SourceToken[]): void {
  const last = tokens[tokens.length - 1];
  if (last?.type === "newline") tokens.pop();
}
