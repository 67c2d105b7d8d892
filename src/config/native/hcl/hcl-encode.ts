// Writes an edited YAML view back onto the HCL text it came from. Walks the view and the syntax
// tree together: an unchanged value keeps its bytes, a changed literal has only its own text
// replaced (a number stays a number, a quoted string stays quoted, a heredoc stays a heredoc), an
// added attribute goes into its block at the block's indentation, a removed one takes its line.
import type { HclEditor } from "./hcl-editor.ts";
import {
  bareExpression,
  invalidValue,
  isBlockList,
  isPlainObject,
  quoteString,
  renderBlock,
  renderBodyEntry,
  renderExpression,
  renderKey,
  type ValuePath,
} from "./hcl-render.ts";
import type { BlockNode, HclExpression, ObjectNode, Span, TupleNode } from "./hcl-syntax.ts";
import {
  bodyShape,
  dedent,
  objectKey,
  type BlockTree,
  type BodyEntry,
  type BodyShape,
  type ViewMap,
  type ViewValue,
} from "./hcl-view.ts";

/** Deep equality of a view value and a plain value from the edited documents (key order aside). */
export function sameValue(view: ViewValue, value: unknown): boolean {
  if (view instanceof Map) {
    if (!isPlainObject(value)) return false;
    const keys = Object.keys(value);
    return keys.length === view.size && keys.every((k) => view.has(k) && sameValue(view.get(k)!, value[k]));
  }
  if (Array.isArray(view)) {
    return (
      Array.isArray(value) && value.length === view.length && view.every((v, i) => sameValue(v, value[i]))
    );
  }
  return view === value;
}

function hasKey(value: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(value, key);
}

function blocksOf(tree: BlockTree): BlockNode[] {
  if (tree.kind === "list") return tree.blocks;
  return [...tree.children.values()].flatMap(blocksOf);
}

function labelLevels(tree: BlockTree): number {
  return tree.kind === "list" ? 0 : 1 + labelLevels(tree.children.values().next().value!);
}

export class HclEncoder {
  readonly #editor: HclEditor;
  readonly #where: string;

  constructor(editor: HclEditor, where: string) {
    this.#editor = editor;
    this.#where = where;
  }

  get #text(): string {
    return this.#editor.text;
  }

  #invalid(path: ValuePath, why: string): Error {
    return invalidValue(this.#where, path, why);
  }

  /** Edits the body of `block` (shape `shape`, view `view`) to hold `next`. */
  body(block: BlockNode, shape: BodyShape, view: ViewMap, next: unknown, path: ValuePath): void {
    const editor = this.#editor;
    if (!isPlainObject(next)) throw this.#invalid(path, "a block body must be a map");
    const removed = new Set([...shape.keys()].filter((key) => !hasKey(next, key)));
    const added = Object.keys(next).filter((key) => !shape.has(key));
    const singleLine = !this.#text.slice(block.open, block.close).includes("\n");
    const itemIndent =
      block.items.length > 0
        ? editor.indentAt(block.items[0]!.start)
        : editor.indentAt(block.start) + editor.style.unit;

    if (singleLine && (added.length > 0 || removed.size > 0)) {
      // `{}` or `{ a = 1 }` gets a line per entry.
      const kept = block.items.filter(
        (item) => !removed.has(item.kind === "attribute" ? item.name : item.type),
      );
      const edits = editor.capture(() => {
        for (const [key, entry] of shape)
          if (!removed.has(key)) this.#entry(entry, view.get(key)!, next[key], [...path, key]);
      });
      const lines = kept.map((item) => `${itemIndent}${editor.sliceWith(item, edits)}${editor.style.eol}`);
      for (const key of added) lines.push(this.#newEntry(key, next[key], itemIndent, [...path, key]));
      const close =
        lines.length === 0 ? "}" : `${editor.style.eol}${lines.join("")}${editor.indentAt(block.start)}}`;
      editor.replace(block.open, block.close + 1, `{${close}`);
      return;
    }

    for (const [key, entry] of shape) {
      if (removed.has(key)) {
        for (const span of entry.kind === "attribute" ? [entry.item] : blocksOf(entry.tree))
          editor.remove(span);
      } else {
        this.#entry(entry, view.get(key)!, next[key], [...path, key]);
      }
    }
    if (added.length === 0) return;
    const attributes = added.filter((key) => !isBlockList(next[key]));
    const blocks = added.filter((key) => isBlockList(next[key]));
    const lastAttribute = [...block.items]
      .reverse()
      .find((item) => item.kind === "attribute" && !removed.has(item.name));
    if (attributes.length > 0) {
      const text = attributes
        .map((key) => this.#newEntry(key, next[key], itemIndent, [...path, key]))
        .join("");
      this.#insertLines(lastAttribute ? lastAttribute.end : block.open, block.close, text);
    }
    if (blocks.length > 0) {
      const text = blocks.map((key) => this.#newEntry(key, next[key], itemIndent, [...path, key])).join("");
      this.#insertBeforeClose(block.close, text);
    }
  }

  #newEntry(key: string, value: unknown, indent: string, path: ValuePath): string {
    return renderBodyEntry(key, value, indent, this.#editor.style, this.#where, path);
  }

  /** Inserts whole lines after the line holding `after` (never past `limit`, a closing bracket). */
  #insertLines(after: number, limit: number, text: string): void {
    const editor = this.#editor;
    const at = editor.afterLine(after);
    if (at <= limit && this.#text[at - 1] === "\n") editor.insert(at, text);
    else this.#insertBeforeClose(limit, text);
  }

  /** Inserts whole lines before the closing bracket at `close`. */
  #insertBeforeClose(close: number, text: string): void {
    const editor = this.#editor;
    if (editor.startsLine(close)) editor.insert(editor.lineStart(close), text);
    else editor.insert(close, `${editor.style.eol}${text}${editor.indentAt(close)}`);
  }

  #entry(entry: BodyEntry, view: ViewValue, next: unknown, path: ValuePath): void {
    if (sameValue(view, next)) return;
    if (entry.kind === "attribute") this.expression(entry.item.expr, view, next, path);
    else this.#tree(entry.tree, entry.type, [], view, next, path);
  }

  #tree(
    tree: BlockTree,
    type: string,
    labels: string[],
    view: ViewValue,
    next: unknown,
    path: ValuePath,
  ): void {
    const editor = this.#editor;
    if (tree.kind === "list") {
      if (!Array.isArray(next) || !next.every(isPlainObject)) {
        throw this.#invalid(path, `the "${type}" blocks must be a list of maps`);
      }
      const old = view as ViewValue[];
      tree.blocks.forEach((block, i) => {
        if (i >= next.length) editor.remove(block);
        else if (!sameValue(old[i]!, next[i])) {
          this.body(block, bodyShape(this.#text, block.items), old[i] as ViewMap, next[i], [...path, i]);
        }
      });
      const last = tree.blocks[tree.blocks.length - 1]!;
      const indent = editor.indentAt(last.start);
      const text = next
        .slice(tree.blocks.length)
        .map(
          (item, i) =>
            `${indent}${this.#block(type, labels, item, indent, [...path, tree.blocks.length + i])}${editor.style.eol}`,
        )
        .join("");
      if (text !== "") editor.insert(editor.afterLine(last.end), text);
      return;
    }
    if (!isPlainObject(next)) throw this.#invalid(path, `the "${type}" blocks must be a map of labels`);
    const old = view as ViewMap;
    for (const [label, child] of tree.children) {
      if (!hasKey(next, label)) for (const block of blocksOf(child)) editor.remove(block);
      else if (!sameValue(old.get(label)!, next[label])) {
        this.#tree(child, type, [...labels, label], old.get(label)!, next[label], [...path, label]);
      }
    }
    const all = blocksOf(tree);
    const last = all[all.length - 1]!;
    const indent = editor.indentAt(last.start);
    const levels = labelLevels(tree);
    let text = "";
    for (const label of Object.keys(next).filter((l) => !tree.children.has(l))) {
      text += this.#newBlocks(type, [...labels, label], next[label], levels - 1, indent, [...path, label]);
    }
    if (text !== "") editor.insert(editor.afterLine(last.end), text);
  }

  #block(type: string, labels: readonly string[], body: unknown, indent: string, path: ValuePath): string {
    return renderBlock(type, labels, body, indent, this.#editor.style, this.#where, path);
  }

  /** Blocks for a label not in the text yet: `levels` more labels as maps, then a list of bodies. */
  #newBlocks(
    type: string,
    labels: string[],
    value: unknown,
    levels: number,
    indent: string,
    path: ValuePath,
  ): string {
    const eol = this.#editor.style.eol;
    if (levels === 0) {
      if (!Array.isArray(value) || !value.every(isPlainObject)) {
        throw this.#invalid(path, `the "${type}" blocks must be a list of maps`);
      }
      return value
        .map((body, i) => `${indent}${this.#block(type, labels, body, indent, [...path, i])}${eol}`)
        .join("");
    }
    if (!isPlainObject(value)) throw this.#invalid(path, `the "${type}" blocks must be a map of labels`);
    return Object.entries(value)
      .map(([label, v]) => this.#newBlocks(type, [...labels, label], v, levels - 1, indent, [...path, label]))
      .join("");
  }

  /** Edits an expression whose view was `view` to hold `next`. */
  expression(node: HclExpression, view: ViewValue, next: unknown, path: ValuePath): void {
    if (sameValue(view, next)) return;
    if (node.kind === "tuple" && Array.isArray(next))
      return this.#tuple(node, view as ViewValue[], next, path);
    if (node.kind === "object" && isPlainObject(next)) return this.#object(node, view as ViewMap, next, path);
    const editor = this.#editor;
    if (typeof next === "string") {
      if (node.kind === "heredoc" && next.endsWith("\n")) {
        const body = node.strip ? reindent(next, dedent(node.body).indent) : next;
        const lines = body.split("\n");
        if (!lines.some((line) => line.trim() === node.marker)) {
          editor.replace(node.bodyStart, node.bodyEnd, body.replace(/\r?\n/g, editor.style.eol));
          return;
        }
      }
      if (node.kind === "expr") {
        const bare = bareExpression(next);
        if (bare !== undefined) return editor.replace(node.start, node.end, bare);
      }
      return editor.replace(node.start, node.end, quoteString(next));
    }
    const indent = editor.indentAt(node.start);
    editor.replace(node.start, node.end, renderExpression(next, indent, editor.style, this.#where, path));
  }

  #tuple(node: TupleNode, view: ViewValue[], next: unknown[], path: ValuePath): void {
    const editor = this.#editor;
    if (next.length === node.items.length) {
      node.items.forEach((item, i) => this.expression(item, view[i]!, next[i], [...path, i]));
      return;
    }
    // A tuple that grew or shrank is written again; elements still present keep their text.
    const used = new Set<number>();
    const multiLine = this.#text.slice(node.start, node.items[0]?.start ?? node.end).includes("\n");
    const indent =
      node.items[0] && multiLine
        ? editor.indentAt(node.items[0].start)
        : editor.indentAt(node.start) + editor.style.unit;
    const items = next.map((value, i) => {
      const j = [i, ...view.keys()].find(
        (k) => k < view.length && !used.has(k) && sameValue(view[k]!, value),
      );
      if (j !== undefined) {
        used.add(j);
        return this.#text.slice(node.items[j]!.start, node.items[j]!.end);
      }
      return renderExpression(value, indent, editor.style, this.#where, [...path, i]);
    });
    const eol = editor.style.eol;
    const text =
      items.length === 0
        ? "[]"
        : multiLine
          ? `[${eol}${items.map((item) => `${indent}${item},${eol}`).join("")}${editor.indentAt(node.start)}]`
          : `[${items.join(", ")}]`;
    editor.replace(node.start, node.end, text);
  }

  #object(node: ObjectNode, view: ViewMap, next: Record<string, unknown>, path: ValuePath): void {
    const editor = this.#editor;
    const items = node.items.map((item) => ({ item, key: objectKey(this.#text, item.key) }));
    const removed = items.filter(({ key }) => !hasKey(next, key));
    const added = Object.keys(next).filter((key) => !view.has(key));
    const singleLine = !this.#text.slice(node.start, node.end).includes("\n");
    const eol = editor.style.eol;
    const indent =
      node.items[0] && !singleLine
        ? editor.indentAt(node.items[0].start)
        : editor.indentAt(node.start) + editor.style.unit;
    const render = (key: string): string =>
      `${renderKey(key)} = ${renderExpression(next[key], indent, editor.style, this.#where, [...path, key])}`;

    if (singleLine && (removed.length > 0 || added.length > 0)) {
      const kept = items.filter(({ key }) => hasKey(next, key));
      const edits = editor.capture(() => {
        for (const { item, key } of kept)
          this.expression(item.value, view.get(key)!, next[key], [...path, key]);
      });
      const parts = [...kept.map(({ item }) => editor.sliceWith(item, edits)), ...added.map(render)];
      editor.replace(node.start, node.end, parts.length === 0 ? "{}" : `{ ${parts.join(", ")} }`);
      return;
    }
    for (const { item, key } of items) {
      if (!hasKey(next, key)) editor.remove(item);
      else this.expression(item.value, view.get(key)!, next[key], [...path, key]);
    }
    if (added.length === 0) return;
    const last = node.items[node.items.length - 1];
    const comma = last !== undefined && /^[ \t]*,/.test(this.#text.slice(last.end)) ? "," : "";
    this.#insertBeforeClose(
      node.end - 1,
      added.map((key) => `${indent}${render(key)}${comma}${eol}`).join(""),
    );
  }

  /** Rewrites a block label, keeping its quoting (a bare label stays bare if it can). */
  label(label: Span & { quoted: boolean }, value: string): void {
    const bare = !label.quoted && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(value);
    this.#editor.replace(label.start, label.end, bare ? value : quoteString(value));
  }
}

/** Lines of `text` with `indent` before each non-blank one (a `<<-` heredoc body). */
function reindent(text: string, indent: string): string {
  return text
    .split("\n")
    .map((line, i, all) =>
      line === "" && i === all.length - 1 ? line : line.trim() === "" ? line : indent + line,
    )
    .join("\n");
}
