// Edits that change the shape of the CST: giving an entry a new value (a map, a list, or a scalar
// where there was none), adding a map entry, removing an entry. New text is rendered in the layout
// of the document, parsed and composed with the `yaml` package, and grafted into both the CST and
// the composed Document (the new nodes' source tokens are the grafted tokens), so the document
// stays readable without a re-parse.
import { Composer, CST, isMap, isSeq, type Document, type Node, type Pair, type YAMLMap } from "yaml";
import { yamlTokens } from "../parse/yaml-tokens.ts";
import { composeOptions } from "../parse/compose-options.ts";
import { ConfigError, ConfigErrorCode } from "../errors.ts";
import { appendBlockItem } from "./block-append.ts";
import {
  isEntryItem,
  itemText,
  removeFinalNewline,
  sourceToken,
  spaceToken,
  type CollectionToken,
} from "./cst-tokens.ts";
import { lineComment } from "./line-comment.ts";
import type { Holder } from "./locate.ts";
import { isBlockCollection, renderBlock, renderFlow, type RenderStyle } from "./render-value.ts";
import { inlineScalar, keySource } from "./render-scalar.ts";

function internalError(what: string, where: string): ConfigError {
  return new ConfigError(ConfigErrorCode.UnexpectedNodeKind, `cannot ${what} at ${where}`, { path: where });
}

/** A rendered snippet as CST tokens and as composed nodes that share those tokens. */
interface Snippet {
  readonly token: CST.Document;
  readonly contents: Node | null;
}

function composeSnippet(text: string, where: string): Snippet {
  const tokens = yamlTokens(text);
  const token = tokens.find((t): t is CST.Document => t.type === "document");
  const composer = new Composer(composeOptions);
  const [document] = Array.from(composer.compose(tokens)) as Document.Parsed[];
  if (!token || !document || document.errors.length > 0) throw internalError("render the new value", where);
  return { token, contents: document.contents as Node | null };
}

/** The first entry of a snippet's map: its CST item and its composed pair. */
function snippetPair(snippet: Snippet, where: string): { item: CST.CollectionItem; pair: Pair } {
  const collection = snippet.token.value as CollectionToken | undefined;
  const item = collection?.items[0];
  const pair = isMap(snippet.contents) ? (snippet.contents.items[0] as Pair | undefined) : undefined;
  if (!item || !pair) throw internalError("render the new entry", where);
  return { item, pair };
}

/** The first element of a snippet's list: its CST item and its composed node. */
function snippetElement(snippet: Snippet, where: string): { item: CST.CollectionItem; node: Node | null } {
  const collection = snippet.token.value as CollectionToken | undefined;
  const item = collection?.items[0];
  if (!item || !isSeq(snippet.contents)) throw internalError("render the new element", where);
  return { item, node: (snippet.contents.items[0] as Node | null) ?? null };
}

/** A value written on the line of its key or dash: scalars, empty and flow collections. */
function inlineValue(value: unknown, indent: number, inFlow: boolean, layout: RenderStyle): string {
  if (value === null || typeof value !== "object") {
    return inlineScalar(value as string | number | boolean | null, indent, inFlow, layout.eol);
  }
  return renderFlow(value, layout);
}

/** Text after a key at `indent` in a block map: `: value` or `:\n  nested...`. */
function blockEntryValue(
  value: unknown,
  indent: number,
  layout: RenderStyle,
  extras: { anchor?: string | undefined; comment?: string | undefined } = {},
): string {
  const anchor = extras.anchor ? ` ${extras.anchor}` : "";
  const comment = extras.comment ? ` ${extras.comment}` : "";
  if (isBlockCollection(value)) {
    const childIndent = indent + (Array.isArray(value) && !layout.indentSeq ? 0 : layout.indent);
    return `:${anchor}${comment}${layout.eol}${renderBlock(value, childIndent, layout)}`;
  }
  return `:${anchor} ${inlineValue(value, indent + layout.indent, false, layout)}${comment}`;
}

function anchorIn(tokens: readonly CST.SourceToken[] | undefined): string | undefined {
  return tokens?.find((t) => t.type === "anchor")?.source;
}

function keyText(item: CST.CollectionItem, where: string): string {
  if (!item.key || (item as { explicitKey?: true }).explicitKey)
    throw internalError("rewrite an entry with a complex key", where);
  return CST.stringify(item.key).replace(/[ \t]+$/, "");
}

/** Gives the entry held by `holder` the value `value` (any plain data), keeping key, anchor and comment. */
export function replaceValue(
  holder: Holder,
  node: Node | null,
  value: unknown,
  layout: RenderStyle,
  where: string,
): void {
  if (holder.kind === "document") throw internalError("replace the whole document", where);
  const item = holder.item;
  const hadNewline = itemText(item).endsWith("\n");
  const collection = sourceToken(holder.kind === "map" ? holder.map : holder.seq) as
    CollectionToken | undefined;
  if (!collection) throw internalError("find the collection", where);
  const comment = lineComment(holder, node);

  if (holder.kind === "map") {
    const key = keyText(item, where);
    const anchor = anchorIn(item.sep);
    if (collection.type === "flow-collection") {
      const text = `{${key}: ${anchor ? `${anchor} ` : ""}${renderFlow(value, layout)}}`;
      const fresh = snippetPair(composeSnippet(text, where), where);
      item.sep = fresh.item.sep ?? [];
      item.value = fresh.item.value!;
      holder.pair.value = fresh.pair.value;
      return;
    }
    const indent = collection.indent;
    const text = `${" ".repeat(indent)}${key}${blockEntryValue(value, indent, layout, { anchor, comment })}${layout.eol}`;
    const fresh = snippetPair(composeSnippet(text, where), where);
    item.sep = fresh.item.sep ?? [];
    item.value = fresh.item.value!;
    holder.pair.value = fresh.pair.value;
  } else {
    const anchor = anchorIn(item.start);
    if (collection.type === "flow-collection") {
      const text = `[${anchor ? `${anchor} ` : ""}${renderFlow(value, layout)}]`;
      const fresh = snippetElement(composeSnippet(text, where), where);
      item.value = fresh.item.value!;
      holder.seq.items[holder.index] = fresh.node;
      return;
    }
    const indent = collection.indent;
    const body = isBlockCollection(value)
      ? renderBlock(value, indent + 2, layout).slice(indent + 2)
      : `${inlineValue(value, indent + 2, false, layout)}${comment ? ` ${comment}` : ""}`;
    const text = `${" ".repeat(indent)}- ${anchor ? `${anchor} ` : ""}${body}${layout.eol}`;
    const fresh = snippetElement(composeSnippet(text, where), where);
    const dash = item.start.findIndex((t) => t.type === "seq-item-ind");
    const freshDash = fresh.item.start.findIndex((t) => t.type === "seq-item-ind");
    item.start = [
      ...item.start.slice(0, Math.max(dash, 0)),
      ...fresh.item.start.slice(Math.max(freshDash, 0)),
    ];
    item.value = fresh.item.value!;
    holder.seq.items[holder.index] = fresh.node;
  }
  if (!hadNewline) removeFinalNewline(item);
}

/** Adds `key: value` at the end of `map` (before trailing comment lines), in the map's style. */
export function insertEntry(
  map: YAMLMap,
  key: string,
  value: unknown,
  layout: RenderStyle,
  where: string,
): void {
  const token = sourceToken(map);
  if (token?.type === "flow-collection") {
    const text = `{${keySource(key, true)}: ${inlineValue(value, 0, true, layout)}}`;
    const { item: fresh, pair } = snippetPair(composeSnippet(text, where), where);
    map.items.push(pair);
    const entries = token.items.filter((i) => isEntryItem(token, i));
    const last = entries[entries.length - 1];
    if (!last) {
      fresh.start = [];
      token.items.unshift(fresh);
      return;
    }
    const whitespace = last.start.filter((t) => t.type === "space" || t.type === "newline");
    fresh.start = last.start.some((t) => t.type === "comma")
      ? last.start
          .filter((t) => t.type === "comma" || t.type === "space" || t.type === "newline")
          .map((t) => ({ ...t }))
      : [
          { type: "comma", offset: -1, indent: 0, source: "," },
          ...(whitespace.length > 0 ? whitespace.map((t) => ({ ...t })) : [spaceToken(1)]),
        ];
    token.items.splice(token.items.indexOf(last) + 1, 0, fresh);
    return;
  }
  if (token?.type !== "block-map") throw internalError(`add the key ${JSON.stringify(key)}`, where);
  const indent = token.indent;
  const text = `${" ".repeat(indent)}${keySource(key, false)}${blockEntryValue(value, indent, layout)}${layout.eol}`;
  const { item: fresh, pair } = snippetPair(composeSnippet(text, where), where);
  map.items.push(pair);
  fresh.start = indent > 0 ? [spaceToken(indent)] : [];
  appendBlockItem(token, fresh, layout.eol);
}

/** The tokens written just before a collection's first entry (they hold its first indentation). */
function ownerTokens(owner: Holder, document: CST.Document): CST.SourceToken[] | undefined {
  if (owner.kind === "map") return owner.item.sep;
  if (owner.kind === "seq") return owner.item.start;
  return document.start;
}

/**
 * Removes the entry held by `holder` from its collection. `owner` holds the collection itself; when
 * the entry is the collection's last, the collection becomes `{}` or `[]`.
 */
export function removeEntry(
  holder: Holder,
  owner: Holder,
  collectionNode: Node,
  document: CST.Document,
  layout: RenderStyle,
  where: string,
): void {
  if (holder.kind === "document") throw internalError("remove the document root", where);
  const token = sourceToken(holder.kind === "map" ? holder.map : holder.seq) as CollectionToken | undefined;
  if (!token) throw internalError("find the collection", where);
  const item = holder.item;
  const entries = token.items.filter((i) => isEntryItem(token, i));
  if (entries.length <= 1) {
    if (owner.kind === "document") throw internalError("remove the only entry of the document", where);
    replaceValue(owner, collectionNode, holder.kind === "map" ? {} : [], layout, where);
    return;
  }
  const items = token.items as CST.CollectionItem[];
  const index = items.indexOf(item);
  const next = items[index + 1];
  if (token.type === "flow-collection") {
    if (entries[0] === item && next) next.start = item.start;
  } else if (index === 0 && next) {
    // The first entry's indentation is written by the owner (after `key:` or `- `); the next entry
    // must not add its own on top of it.
    const before = ownerTokens(owner, document);
    if (next.start[0]?.type === "space") next.start.shift();
    else if (before?.[before.length - 1]?.type === "space" && next.start[0]?.type === "newline") before.pop();
  }
  const wasLastLine = index === items.length - 1 && !itemText(item).endsWith("\n");
  items.splice(index, 1);
  if (holder.kind === "map") holder.map.items.splice(holder.map.items.indexOf(holder.pair), 1);
  else holder.seq.items.splice(holder.index, 1);
  const previous = items[index - 1];
  if (wasLastLine && previous) removeFinalNewline(previous);
}
