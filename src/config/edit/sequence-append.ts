// Appending one element to an existing list (set-env adds variables to `env`). Rewriting the whole
// list would re-render its other elements and drop their comments and flow style, so the new element
// is rendered alone in the list's own layout, parsed, and grafted after the last element; every
// existing line keeps its bytes.
import { isAlias, isSeq, type CST, type Document } from "yaml";
import { yamlTokens } from "../parse/yaml-tokens.ts";
import { ConfigError, ConfigErrorCode } from "../errors.ts";
import { formatSegments } from "../path/format-path.ts";
import { appendBlockItem } from "./block-append.ts";
import { isEntryItem, sourceToken, spaceToken } from "./cst-tokens.ts";
import { locate } from "./locate.ts";
import { assertPlainValue, renderBlock, renderFlow, type RenderStyle } from "./render-value.ts";

function notAList(where: string, what: string): ConfigError {
  return new ConfigError(
    ConfigErrorCode.UnexpectedNodeKind,
    `cannot append to ${where}: it is ${what}, not a list`,
    { path: where },
  );
}

function parseItem(text: string, kind: "block-seq" | "flow-collection", where: string): CST.CollectionItem {
  for (const token of yamlTokens(text)) {
    if (token.type === "document" && token.value?.type === kind && token.value.items[0]) {
      return token.value.items[0];
    }
  }
  throw new ConfigError(ConfigErrorCode.UnexpectedNodeKind, `cannot render the new element of ${where}`, {
    path: where,
  });
}

function appendToBlock(list: CST.BlockSequence, value: unknown, layout: RenderStyle, where: string): void {
  const indent = list.indent;
  // The element alone as a one-element list at the list's column: real tokens with the right indents.
  const fresh = parseItem(`${renderBlock([value], indent, layout)}${layout.eol}`, "block-seq", where);
  if (indent > 0) fresh.start = [spaceToken(indent), ...fresh.start];
  appendBlockItem(list, fresh, layout.eol);
}

function appendToFlow(list: CST.FlowCollection, value: unknown, layout: RenderStyle, where: string): void {
  const fresh = parseItem(`[${renderFlow(value, layout)}]`, "flow-collection", where);
  const entries = list.items.filter((i) => isEntryItem(list, i));
  const last = entries[entries.length - 1];
  if (!last) {
    fresh.start = [];
    list.items.unshift(fresh);
    return;
  }
  fresh.start = [{ type: "comma", offset: -1, indent: 0, source: "," }, spaceToken(1)];
  list.items.splice(list.items.indexOf(last) + 1, 0, fresh);
}

/**
 * Appends `value` as the last element of the list at `segments`.
 * @returns false when nothing could be appended because the path does not exist.
 * @throws ConfigError `UNEXPECTED_NODE_KIND` when the path holds something other than a list,
 *   `ALIAS_WRITE` when the list is reached through or is an alias.
 */
export function appendSequenceItem(
  document: Document,
  segments: readonly (string | number)[],
  value: unknown,
  layout: RenderStyle,
): boolean {
  const where = formatSegments(segments) || "the document root";
  assertPlainValue(value, where);
  const location = locate(document, segments);
  if (!location.found) return false;
  const node = location.node;
  if (isAlias(node)) {
    throw new ConfigError(
      ConfigErrorCode.AliasWrite,
      `cannot append to ${where}: it is an alias (*${node.source}); writing through it would change every use of its anchor`,
      { path: where },
    );
  }
  if (!isSeq(node)) throw notAList(where, node === null ? "empty" : "a map or a scalar");
  const token = sourceToken(node);
  if (token?.type === "block-seq") appendToBlock(token, value, layout, where);
  else if (token?.type === "flow-collection") appendToFlow(token, value, layout, where);
  else throw notAList(where, "not written as a list");
  return true;
}
