// Writes an edited YAML view back onto the TOML text it came from. The new value is compared with
// the model of the original, and only the differences become text edits:
// - a changed scalar rewrites only its own text, in its style (toml-render.ts);
// - a removed key removes its line (a key/value), its entry (inline table, array) or its sections
//   (a [table] or an [[array of tables]] element, with the comment lines directly above its header);
// - a new key goes into its table: after the table's last key/value line (dotted keys keep their
//   prefix), into its inline table, or as a new [table] section after the parent's last content;
// - a changed array keeps its elements that did not change (common start and end), edits the
//   changed ones in place and inserts or removes the rest.
// Unchanged values are never touched, so an unchanged document gives back the text byte for byte.
import type { ArrayMeta, Meta, PathSegment, Section, TableMeta, TomlModel } from "./toml-model.ts";
import {
  invalidValue,
  isPlainObject,
  renderInline,
  renderKey,
  renderKeys,
  renderReplacement,
} from "./toml-render.ts";
import type { ArrayNode, InlineTableNode, KeyValueStatement, Span, ValueNode } from "./toml-syntax.ts";

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly order: number;
}

interface ContainerChanges {
  readonly removed: Set<number>;
  /** Texts to insert before the item at the index (the item count: at the end). */
  readonly inserts: Map<number, string[]>;
}

/** Whether the YAML view's `view` and the edited `next` are the same value. */
export function sameValue(view: unknown, next: unknown): boolean {
  if (view === next) return true;
  if (typeof view === "number" && typeof next === "number") return Number.isNaN(view) && Number.isNaN(next);
  if (typeof view === "number" && typeof next === "bigint") return BigInt(view) === next;
  if (Array.isArray(view)) {
    if (!Array.isArray(next) || next.length !== view.length) return false;
    return view.every((item, index) => sameValue(item, next[index]));
  }
  if (isPlainObject(view)) {
    if (!isPlainObject(next)) return false;
    const keys = Object.keys(view);
    if (keys.length !== Object.keys(next).length) return false;
    return keys.every((key) => Object.hasOwn(next, key) && sameValue(view[key], next[key]));
  }
  return false;
}

const NO_NULL = "TOML has no null: remove the key or set a value";

/** Whether a new value is written as [sections]: a non-empty table or a non-empty array of tables. */
function isSectionValue(value: unknown): boolean {
  if (isPlainObject(value)) return Object.keys(value).length > 0;
  return Array.isArray(value) && value.length > 0 && value.every(isPlainObject);
}

function isUnder(path: readonly PathSegment[], prefix: readonly PathSegment[]): boolean {
  return path.length >= prefix.length && prefix.every((segment, index) => path[index] === segment);
}

function startsWithKeys(keys: readonly string[], prefix: readonly string[]): boolean {
  return keys.length >= prefix.length && prefix.every((key, index) => keys[index] === key);
}

/** Pairs of old and new indexes to compare, old indexes removed and new ones inserted (before `before`). */
function alignArrays(
  old: readonly unknown[],
  next: readonly unknown[],
): { pairs: [number, number][]; removed: number[]; inserted: { index: number; before: number }[] } {
  let prefix = 0;
  while (prefix < old.length && prefix < next.length && sameValue(old[prefix], next[prefix])) prefix += 1;
  let suffix = 0;
  while (
    suffix < old.length - prefix &&
    suffix < next.length - prefix &&
    sameValue(old[old.length - 1 - suffix], next[next.length - 1 - suffix])
  ) {
    suffix += 1;
  }
  const pairs: [number, number][] = [];
  for (let i = 0; i < prefix; i += 1) pairs.push([i, i]);
  const oldMiddle = old.length - prefix - suffix;
  const newMiddle = next.length - prefix - suffix;
  const common = Math.min(oldMiddle, newMiddle);
  for (let i = 0; i < common; i += 1) pairs.push([prefix + i, prefix + i]);
  const removed: number[] = [];
  for (let i = prefix + common; i < prefix + oldMiddle; i += 1) removed.push(i);
  const inserted: { index: number; before: number }[] = [];
  for (let j = prefix + common; j < prefix + newMiddle; j += 1) {
    inserted.push({ index: j, before: prefix + oldMiddle });
  }
  for (let i = 0; i < suffix; i += 1) pairs.push([old.length - suffix + i, next.length - suffix + i]);
  return { pairs, removed, inserted };
}

export class TomlWriter {
  private readonly edits: Edit[] = [];
  private readonly containers = new Map<ArrayNode | InlineTableNode, ContainerChanges>();
  private readonly removedKeyValues = new Set<KeyValueStatement>();
  private readonly removedSections = new Set<Section>();
  private readonly statementPaths: { statement: KeyValueStatement; section: Section; path: PathSegment[] }[] =
    [];
  private readonly regionStarts = new Map<Section, number>();

  constructor(
    private readonly text: string,
    private readonly model: TomlModel,
    private readonly newline: string,
  ) {
    let previousEnd = 0;
    for (const section of model.sections) {
      if (section.header) {
        this.regionStarts.set(section, this.regionStart(section.header.lineStart, previousEnd));
        previousEnd = section.header.lineEnd;
      } else {
        this.regionStarts.set(section, 0);
      }
      for (const statement of section.statements) {
        this.statementPaths.push({ statement, section, path: [...section.path, ...statement.keys] });
        previousEnd = statement.lineEnd;
      }
    }
  }

  /** The header's line start, moved up over the comment lines directly above it. */
  private regionStart(lineStart: number, floor: number): number {
    let start = lineStart;
    while (start > floor) {
      const previousLineStart = this.text.lastIndexOf("\n", start - 2) + 1;
      if (previousLineStart < floor || !/^[ \t]*#/.test(this.text.slice(previousLineStart, start))) break;
      start = previousLineStart;
    }
    return start;
  }

  private sectionEnd(section: Section): number {
    const index = this.model.sections.indexOf(section);
    const next = this.model.sections[index + 1];
    return next ? this.regionStarts.get(next)! : this.text.length;
  }

  private edit(start: number, end: number, text: string): void {
    this.edits.push({ start, end, text, order: this.edits.length });
  }

  /** Inserts whole lines at a line start `at` (or at the end of a text without a final line break). */
  private insertLines(at: number, lines: string): void {
    const needsBreak = at > 0 && this.text[at - 1] !== "\n";
    this.edit(at, at, (needsBreak ? this.newline : "") + lines);
  }

  private container(node: ArrayNode | InlineTableNode): ContainerChanges {
    let changes = this.containers.get(node);
    if (!changes) {
      changes = { removed: new Set(), inserts: new Map() };
      this.containers.set(node, changes);
    }
    return changes;
  }

  private containerInsert(node: ArrayNode | InlineTableNode, before: number, text: string): void {
    const inserts = this.container(node).inserts;
    const list = inserts.get(before) ?? [];
    list.push(text);
    inserts.set(before, list);
  }

  // ---- the diff ----

  diffTable(meta: TableMeta, next: unknown): void {
    if (!isPlainObject(next)) throw invalidValue(meta.path, "a TOML document must be a map");
    for (const [key, child] of meta.children) {
      if (!Object.hasOwn(next, key)) this.removeKey(meta, key);
      else this.diffValue(meta, key, child, next[key]);
    }
    const added = Object.entries(next).filter(([key]) => !meta.children.has(key));
    if (meta.origin === "implicit") {
      // A table only sub-table headers define gets one new [header] for all its new plain keys.
      const plain = added.filter(([, value]) => !isSectionValue(value));
      if (plain.length > 0) {
        for (const [key, value] of plain) {
          if (value === null || value === undefined) throw invalidValue([...meta.path, key], NO_NULL);
        }
        const headerKeys = meta.path.filter((s): s is string => typeof s === "string");
        const text = this.renderSections(headerKeys, Object.fromEntries(plain), false, meta.path);
        this.insertLines(this.endOfContentUnder(meta.path), text);
      }
      for (const [key, value] of added) if (isSectionValue(value)) this.addKey(meta, key, value);
      return;
    }
    for (const [key, value] of added) this.addKey(meta, key, value);
  }

  private ownNode(meta: Meta): ValueNode | undefined {
    if (meta.kind === "scalar") return meta.node;
    if (meta.kind === "array") return meta.node;
    return meta.origin === "inline" && meta.prefix.length === 0 ? meta.inline : undefined;
  }

  private diffValue(parent: TableMeta | ArrayMeta, key: string | number, meta: Meta, next: unknown): void {
    if (sameValue(meta.value, next)) return;
    if (next === null || next === undefined) throw invalidValue(meta.path, NO_NULL);
    if (meta.kind === "table" && isPlainObject(next) && !this.vanishes(meta, next))
      return this.diffTable(meta, next);
    if (meta.kind === "array" && Array.isArray(next)) {
      if (meta.origin === "inline") return this.diffInlineArray(meta, next);
      if (next.length > 0 && next.every(isPlainObject)) return this.diffTableArray(meta, next);
    }
    const node = this.ownNode(meta);
    if (node) {
      const raw = this.text.slice(node.start, node.end);
      const text =
        meta.kind === "scalar"
          ? renderReplacement(meta.node, raw, next, meta.path, this.newline)
          : renderInline(next, meta.path);
      this.edit(node.start, node.end, text);
      return;
    }
    // A table or array of tables written with headers or dotted keys, now another kind of value.
    if (parent.kind !== "table") throw invalidValue(meta.path, "an array of tables can only hold tables");
    this.removeKey(parent, key as string);
    this.addKey(parent, key as string, next);
  }

  /**
   * Whether emptying `meta` would make it disappear from the text: a table that only dotted keys or
   * the headers of its sub-tables define exists only while something is under it, so an empty one
   * is rewritten as `key = {}`.
   */
  private vanishes(meta: TableMeta, next: Record<string, unknown>): boolean {
    if (Object.keys(next).length > 0 || meta.children.size === 0) return false;
    return (
      meta.origin === "implicit" ||
      meta.origin === "dotted" ||
      (meta.origin === "inline" && meta.prefix.length > 0)
    );
  }

  private diffInlineArray(meta: ArrayMeta, next: unknown[]): void {
    const node = meta.node!;
    const { pairs, removed, inserted } = alignArrays(meta.value, next);
    for (const [i, j] of pairs) this.diffValue(meta, i, meta.elements[i]!, next[j]);
    const changes = removed.length > 0 || inserted.length > 0 ? this.container(node) : undefined;
    for (const i of removed) changes!.removed.add(i);
    for (const { index, before } of inserted) {
      this.containerInsert(node, before, renderInline(next[index], [...meta.path, index]));
    }
  }

  private diffTableArray(meta: ArrayMeta, next: Record<string, unknown>[]): void {
    const { pairs, removed, inserted } = alignArrays(meta.value, next);
    for (const [i, j] of pairs) this.diffTable(meta.elements[i] as TableMeta, next[j]);
    for (const i of removed) this.removeUnder([...meta.path, i]);
    const headerKeys = meta.path.filter((s): s is string => typeof s === "string");
    for (const { index, before } of inserted) {
      const text = this.renderSections(headerKeys, next[index]!, true, [...meta.path, index]);
      const element = meta.elements[before] as TableMeta | undefined;
      if (element?.section) this.insertLines(this.regionStarts.get(element.section)!, text);
      else this.insertLines(this.endOfContentUnder(meta.path), text);
    }
  }

  // ---- removing ----

  private removeKey(table: TableMeta, key: string): void {
    if (table.origin === "inline") {
      const node = table.inline!;
      const prefix = [...table.prefix, key];
      node.entries.forEach((entry, index) => {
        if (startsWithKeys(entry.keys, prefix)) this.container(node).removed.add(index);
      });
      return;
    }
    this.removeUnder([...table.path, key]);
  }

  /** Removes every key/value line and every section whose path is `path` or under it. */
  private removeUnder(path: readonly PathSegment[]): void {
    for (const section of this.model.sections) {
      if (section.header && isUnder(section.path, path)) this.removedSections.add(section);
    }
    for (const { statement, path: statementPath } of this.statementPaths) {
      if (isUnder(statementPath, path)) this.removedKeyValues.add(statement);
    }
  }

  // ---- adding ----

  private addKey(table: TableMeta, key: string, value: unknown): void {
    const path = [...table.path, key];
    if (value === null || value === undefined) throw invalidValue(path, NO_NULL);
    if (table.origin === "inline") {
      const node = table.inline!;
      const entry = `${renderKeys([...table.prefix, key])} = ${renderInline(value, path)}`;
      this.containerInsert(node, node.entries.length, entry);
      return;
    }
    const headerContext = table.origin !== "dotted";
    const isTable = isPlainObject(value) && Object.keys(value).length > 0;
    const isTables = isSectionValue(value) && !isTable;
    if (headerContext && (isTable || isTables || table.origin === "implicit")) {
      const headerKeys = table.path.filter((s): s is string => typeof s === "string");
      let text: string;
      if (!isTable && !isTables) {
        text = this.renderSections(headerKeys, { [key]: value }, false, table.path);
      } else if (isTable) {
        text = this.renderSections([...headerKeys, key], value as Record<string, unknown>, false, path);
      } else {
        text = (value as Record<string, unknown>[])
          .map((element, index) => this.renderSections([...headerKeys, key], element, true, [...path, index]))
          .join("");
      }
      this.insertLines(this.endOfContentUnder(table.path), text);
      return;
    }
    const section = table.section!;
    const prefix = table.origin === "dotted" ? table.prefix : [];
    const line = `${renderKeys([...prefix, key])} = ${renderInline(value, path)}`;
    const last = [...section.statements]
      .reverse()
      .find((statement) => startsWithKeys(statement.keys, prefix));
    if (last) {
      const indent = this.text.slice(last.lineStart, last.start);
      this.insertLines(last.lineEnd, `${/^[ \t]*$/.test(indent) ? indent : ""}${line}${this.newline}`);
    } else if (section.header) {
      this.insertLines(section.header.lineEnd, `${line}${this.newline}`);
    } else {
      const firstHeader = this.model.sections[1];
      const at = firstHeader ? this.regionStarts.get(firstHeader)! : this.text.length;
      this.insertLines(at, `${line}${this.newline}`);
    }
  }

  /** Where text after everything under `path` goes: past its last key/value line or header. */
  private endOfContentUnder(path: readonly PathSegment[]): number {
    if (path.length === 0) return this.text.length;
    let end = -1;
    for (const section of this.model.sections) {
      if (section.header && isUnder(section.path, path)) end = Math.max(end, section.header.lineEnd);
    }
    for (const { statement, path: statementPath } of this.statementPaths) {
      if (isUnder(statementPath, path)) end = Math.max(end, statement.lineEnd);
    }
    return end === -1 ? this.text.length : end;
  }

  /** A [table] (or [[array]] element) section for `value`, its sub-tables as sections after it. */
  private renderSections(
    keys: readonly string[],
    value: Record<string, unknown>,
    element: boolean,
    path: readonly PathSegment[],
  ): string {
    const nl = this.newline;
    const header = element ? `[[${renderKeys(keys)}]]` : `[${renderKeys(keys)}]`;
    let text = `${nl}${header}${nl}`;
    const later: string[] = [];
    for (const [key, item] of Object.entries(value)) {
      const itemPath = [...path, key];
      if (isPlainObject(item) && Object.keys(item).length > 0) {
        later.push(this.renderSections([...keys, key], item, false, itemPath));
      } else if (Array.isArray(item) && item.length > 0 && item.every(isPlainObject)) {
        item.forEach((element, index) =>
          later.push(this.renderSections([...keys, key], element, true, [...itemPath, index])),
        );
      } else {
        text += `${renderKey(key)} = ${renderInline(item, itemPath)}${nl}`;
      }
    }
    return text + later.join("");
  }

  // ---- output ----

  private containerEdits(node: ArrayNode | InlineTableNode, changes: ContainerChanges): void {
    const items: readonly Span[] = node.type === "array" ? node.items : node.entries;
    const count = items.length;
    const separator = this.separator(node, items);
    const kept = items.map((_, index) => !changes.removed.has(index));
    const inserts = [...changes.inserts.entries()].sort((a, b) => a[0] - b[0]);
    if (!kept.includes(true)) {
      const all = inserts.flatMap(([, texts]) => texts);
      const inner = node.type === "array" ? all.join(", ") : all.length === 0 ? "" : ` ${all.join(", ")} `;
      this.edit(node.start + 1, node.end - 1, inner);
      return;
    }
    // Runs of removed items: from the end of the kept item before, or up to the kept item after.
    for (let i = 0; i < count;) {
      if (kept[i]) {
        i += 1;
        continue;
      }
      let j = i;
      while (j + 1 < count && !kept[j + 1]) j += 1;
      if (i > 0) this.edit(items[i - 1]!.end, items[j]!.end, "");
      else this.edit(items[i]!.start, items[j + 1]!.start, "");
      i = j + 1;
    }
    const lastKept = kept.lastIndexOf(true);
    for (const [before, texts] of inserts) {
      let next = before;
      while (next < count && !kept[next]) next += 1;
      if (next < count)
        this.edit(items[next]!.start, items[next]!.start, texts.map((t) => t + ", ").join(""));
      else this.edit(items[lastKept]!.end, items[lastKept]!.end, texts.map((t) => separator + t).join(""));
    }
  }

  /** How items of the container are separated: `, ` or, in a multi-line array, a line break and indent. */
  private separator(node: ArrayNode | InlineTableNode, items: readonly Span[]): string {
    if (node.type !== "array" || items.length === 0) return ", ";
    const last = items[items.length - 1]!;
    const before =
      items.length >= 2
        ? this.text.slice(items[items.length - 2]!.end, last.start)
        : this.text.slice(node.start + 1, last.start);
    const breakAt = before.lastIndexOf("\n");
    if (breakAt === -1) return ", ";
    const indent = before.slice(breakAt + 1);
    return `,${before.includes("\r\n") ? "\r\n" : "\n"}${/^[ \t]*$/.test(indent) ? indent : ""}`;
  }

  finish(): string {
    for (const [node, changes] of this.containers) this.containerEdits(node, changes);
    for (const section of this.removedSections) {
      this.edit(this.regionStarts.get(section)!, this.sectionEnd(section), "");
    }
    for (const { statement, section } of this.statementPaths) {
      if (this.removedKeyValues.has(statement) && !this.removedSections.has(section)) {
        this.edit(statement.lineStart, statement.lineEnd, "");
      }
    }
    const edits = [...this.edits].sort(
      (a, b) => a.start - b.start || Number(a.end > a.start) - Number(b.end > b.start) || a.order - b.order,
    );
    let out = "";
    let cursor = 0;
    for (const edit of edits) {
      if (edit.start < cursor) {
        // Only an insertion at the start of a removed range can land inside it: keep its text.
        if (edit.start === edit.end) out += edit.text;
        cursor = Math.max(cursor, edit.end);
        continue;
      }
      out += this.text.slice(cursor, edit.start) + edit.text;
      cursor = edit.end;
    }
    return out + this.text.slice(cursor);
  }
}
