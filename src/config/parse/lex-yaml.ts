// Tokenises a YAML text as ConfigHub reads it. YAML needs white space after a `---` marker, so
// `---# Permission to approve` is a plain scalar to the `yaml` package ("Implicit keys need to be on a
// single line"); ConfigHub inserts a newline between `---` and the comment (spec §0, multi-document
// parsing step 2). We parse the text with those newlines inserted, then make each inserted newline
// token empty and move every offset back to the input's: the CST still stringifies to the input byte
// for byte, and positions (errors, node ranges, document slices) point into the input.
import { LineCounter, type CST } from "yaml";
import { yamlTokens } from "./yaml-tokens.ts";

export interface LexedYaml {
  readonly tokens: CST.Token[];
  /** Line starts of the input text (not of the text with newlines inserted). */
  readonly lineCounter: LineCounter;
}

/** A `---` at the start of a line followed directly by a comment: where the newline goes. */
const SEPARATOR_BEFORE_COMMENT = /^---(?=#)/gm;

export function lexYaml(text: string): LexedYaml {
  const insertAt = Array.from(text.matchAll(SEPARATOR_BEFORE_COMMENT), (m) => m.index + 3);
  if (insertAt.length > 0) {
    const lexed = lexWithSeparators(text, insertAt);
    if (lexed) return lexed;
  }
  const lineCounter = new LineCounter();
  return { tokens: yamlTokens(text, lineCounter.addNewLine), lineCounter };
}

/**
 * Lexes `text` with a newline inserted at each of `insertAt` (ascending input offsets). A `---` that
 * starts a line and ends it is a document marker wherever it stands (ConfigHub splits on it too), so
 * each inserted newline follows a document's `---`; should one not, YAML's own reading of the input
 * stands (undefined).
 */
function lexWithSeparators(text: string, insertAt: readonly number[]): LexedYaml | undefined {
  let widened = "";
  let from = 0;
  for (const at of insertAt) {
    widened += `${text.slice(from, at)}\n`;
    from = at;
  }
  widened += text.slice(from);
  const tokens = yamlTokens(widened);

  // The inserted newline i sits at offset insertAt[i] + i of the widened text.
  const inserted = new Set(insertAt.map((at, i) => at + i));
  const separators: CST.SourceToken[] = [];
  for (const token of tokens) {
    if (token.type !== "document") continue;
    const [marker, newline] = token.start;
    if (marker?.type === "doc-start" && newline?.type === "newline" && inserted.has(newline.offset)) {
      separators.push(newline);
    }
  }
  if (separators.length !== insertAt.length) return undefined;

  for (const newline of separators) newline.source = "";
  // Ascending: an offset moves back by the number of newlines inserted before it, counted by binary
  // search (a scan per token cost tokens x separators: 30,000 `---#` lines took over 10 s).
  const widenedOffsets = [...inserted];
  const toInput = (offset: number): number => offset - countBelow(widenedOffsets, offset);
  shiftOffsets(tokens, toInput);
  const lineCounter = new LineCounter();
  lineCounter.addNewLine(0);
  for (let at = text.indexOf("\n"); at >= 0; at = text.indexOf("\n", at + 1)) lineCounter.addNewLine(at + 1);
  return { tokens, lineCounter };
}

/** How many of the ascending `values` are below `limit`. */
function countBelow(values: readonly number[], limit: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (values[middle]! < limit) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Rewrites the offset of every token in a CST (tokens are plain objects and arrays). */
function shiftOffsets(node: unknown, toInput: (offset: number) => number): void {
  if (Array.isArray(node)) {
    for (const child of node) shiftOffsets(child, toInput);
    return;
  }
  if (node === null || typeof node !== "object") return;
  const record = node as Record<string, unknown>;
  if (typeof record.offset === "number") record.offset = toInput(record.offset);
  for (const value of Object.values(record)) {
    if (value !== null && typeof value === "object") shiftOffsets(value, toInput);
  }
}
