// The YAML view of HCL (ConfigHub's hclkit mapping): one document per top-level block, its labels
// under `confighub` (block_category, block_type, block_name), attributes as values, nested blocks as
// lists of maps under their type. Also the shape of each body (which key is which attribute or
// which blocks), which the editor walks to write changed values back.
import { ConfigError, ConfigErrorCode } from "../../errors.ts";
import { positionAt } from "./hcl-position.ts";
import type { AttributeNode, BlockNode, BodyItem, HclExpression, HeredocNode, Span } from "./hcl-syntax.ts";

/** A value of the view: Maps keep the source order of keys (a plain object would move "80" first). */
export type ViewValue = null | boolean | number | string | ViewValue[] | ViewMap;
export type ViewMap = Map<string, ViewValue>;

export const METADATA_KEY = "confighub";
export const CATEGORY_FIELD = "block_category";
export const TYPE_FIELD = "block_type";
export const NAME_FIELD = "block_name";
/** block_name of a block without labels (`terraform`, `locals`). */
export const SINGLETON_NAME = "singleton";

/** ConfigHub's categories: `resource` and `data` blocks have one, every other block is `Invalid`. */
const categories: ReadonlyMap<string, string> = new Map([
  ["resource", "Resource"],
  ["data", "DynamicData"],
]);
export const INVALID_CATEGORY = "Invalid";

export function categoryOf(blockType: string): string {
  return categories.get(blockType) ?? INVALID_CATEGORY;
}

/** The block keyword for a new top-level block of this category and type. */
export function keywordOf(category: string, type: string): string | undefined {
  for (const [keyword, c] of categories) if (c === category) return keyword;
  return category === INVALID_CATEGORY ? type : undefined;
}

/** Blocks of one type in a body: a list (no labels left) or a map from the next label. */
export type BlockTree =
  | { readonly kind: "list"; readonly blocks: BlockNode[] }
  | { readonly kind: "labels"; readonly depth: number; readonly children: Map<string, BlockTree> };

export type BodyEntry =
  | { readonly kind: "attribute"; readonly item: AttributeNode }
  | { readonly kind: "blocks"; readonly type: string; readonly tree: BlockTree };

/** A body's keys in source order (a block type's key sits where its first block is). */
export type BodyShape = Map<string, BodyEntry>;

function itemKey(item: BodyItem): string {
  return item.kind === "attribute" ? item.name : item.type;
}

function syntaxError(text: string, span: Span, message: string): ConfigError {
  const { line, column } = positionAt(text, span.start);
  return new ConfigError(
    ConfigErrorCode.Syntax,
    `invalid HCL at line ${line}, column ${column}: ${message}`,
    {
      line,
      column,
    },
  );
}

function addBlock(tree: BlockTree, block: BlockNode, labelIndex: number): void {
  if (tree.kind === "list") {
    tree.blocks.push(block);
    return;
  }
  const label = block.labels[labelIndex]!.value;
  let child = tree.children.get(label);
  if (!child) {
    child =
      labelIndex + 1 === block.labels.length
        ? { kind: "list", blocks: [] }
        : { kind: "labels", depth: labelIndex + 1, children: new Map() };
    tree.children.set(label, child);
  }
  addBlock(child, block, labelIndex + 1);
}

function treeLabelCount(tree: BlockTree): number {
  let count = 0;
  for (let t: BlockTree = tree; t.kind === "labels"; t = t.children.values().next().value!) count++;
  return count;
}

/**
 * The keys of a nested body. Refuses what the view cannot hold: an attribute defined twice (HCL
 * refuses it too), a name used for an attribute and a block, blocks of one type with different
 * numbers of labels.
 */
export function bodyShape(text: string, items: readonly BodyItem[]): BodyShape {
  const shape: BodyShape = new Map();
  for (const item of items) {
    const key = itemKey(item);
    const existing = shape.get(key);
    if (item.kind === "attribute") {
      if (existing) {
        throw syntaxError(
          text,
          item,
          existing.kind === "attribute"
            ? `attribute "${key}" is defined twice`
            : `"${key}" is both a block type and an attribute`,
        );
      }
      shape.set(key, { kind: "attribute", item });
      continue;
    }
    const labels = item.labels.length;
    if (existing && existing.kind === "attribute") {
      throw syntaxError(text, item, `"${key}" is both an attribute and a block type`);
    }
    if (existing && treeLabelCount(existing.tree) !== labels) {
      throw syntaxError(text, item, `"${key}" blocks have different numbers of labels`);
    }
    const tree: BlockTree =
      existing?.tree ??
      (labels === 0 ? { kind: "list", blocks: [] } : { kind: "labels", depth: 0, children: new Map() });
    addBlock(tree, item, 0);
    if (!existing) shape.set(key, { kind: "blocks", type: key, tree });
  }
  return shape;
}

/** The value of a `<<-` heredoc body: its lines without their common indentation. */
export function heredocValue(node: HeredocNode): string {
  if (!node.strip) return node.body;
  return dedent(node.body).text;
}

/** Lines of `body` without the smallest indentation of its non-blank lines, and that indentation. */
export function dedent(body: string): { text: string; indent: string } {
  const lines = body.split("\n");
  let indent: string | undefined;
  for (const line of lines) {
    if (line.trim() === "") continue;
    const own = /^[ \t]*/.exec(line)![0];
    if (indent === undefined || own.length < indent.length) indent = own;
  }
  const cut = indent?.length ?? 0;
  const text = lines.map((line) => line.slice(Math.min(cut, /^[ \t]*/.exec(line)![0].length))).join("\n");
  return { text, indent: indent ?? "" };
}

/** The view of an expression: literals as values, anything else as `${<source text>}`. */
export function expressionValue(text: string, node: HclExpression): ViewValue {
  switch (node.kind) {
    case "number":
    case "bool":
    case "null":
      return node.value;
    case "string":
      return node.view;
    case "heredoc":
      return heredocValue(node);
    case "tuple":
      return node.items.map((item) => expressionValue(text, item));
    case "object": {
      const map: ViewMap = new Map();
      for (const item of node.items) {
        const key = objectKey(text, item.key);
        if (map.has(key)) throw syntaxError(text, item, `object key "${key}" is defined twice`);
        map.set(key, expressionValue(text, item.value));
      }
      return map;
    }
    case "expr":
      return `\${${text.slice(node.start, node.end)}}`;
  }
}

/** The view key of an object item's key expression (`name`, `"name"`, `80`, or `${expr}` for others). */
export function objectKey(text: string, key: HclExpression): string {
  if (key.kind === "expr" && key.name !== undefined) return key.name;
  // HCL converts a key to a string: `80 = ...` is the key "80".
  if (key.kind === "number" || key.kind === "bool") return String(key.value);
  const value = expressionValue(text, key);
  return typeof value === "string" ? value : `\${${text.slice(key.start, key.end)}}`;
}

function treeValue(text: string, tree: BlockTree): ViewValue {
  if (tree.kind === "list") return tree.blocks.map((block) => bodyValue(text, bodyShape(text, block.items)));
  const map: ViewMap = new Map();
  for (const [label, child] of tree.children) map.set(label, treeValue(text, child));
  return map;
}

export function entryValue(text: string, entry: BodyEntry): ViewValue {
  return entry.kind === "attribute" ? expressionValue(text, entry.item.expr) : treeValue(text, entry.tree);
}

export function bodyValue(text: string, shape: BodyShape): ViewMap {
  const map: ViewMap = new Map();
  for (const [key, entry] of shape) map.set(key, entryValue(text, entry));
  return map;
}

/** The metadata of a top-level block (hclkit: labels 0, 1, 2 and more). */
export function blockMetadata(block: BlockNode): { category: string; type: string; name: string } {
  const [first, second] = block.labels;
  const category = categoryOf(block.type);
  if (!first) return { category, type: block.type, name: SINGLETON_NAME };
  if (!second) return { category, type: block.type, name: first.value };
  return { category, type: first.value, name: second.value };
}

/** One top-level block's document: metadata, then labels past the second as nested maps, then the body. */
export function blockDocument(text: string, block: BlockNode): { value: ViewMap; shape: BodyShape } {
  const { category, type, name } = blockMetadata(block);
  const metadata: ViewMap = new Map([
    [CATEGORY_FIELD, category],
    [TYPE_FIELD, type],
    [NAME_FIELD, name],
  ]);
  const shape = bodyShape(text, block.items);
  const extraLabels = block.labels.slice(2);
  const clash = extraLabels.length === 0 ? block.items.find((i) => itemKey(i) === METADATA_KEY) : undefined;
  if (clash) {
    throw syntaxError(text, clash, `"${METADATA_KEY}" is reserved for the block's labels in the YAML view`);
  }
  let body: ViewMap = bodyValue(text, shape);
  for (const label of [...extraLabels].reverse()) body = new Map([[label.value, body]]);
  const value: ViewMap = new Map([[METADATA_KEY, metadata]]);
  for (const [key, v] of body) value.set(key, v);
  return { value, shape };
}
