// The meaning of a parsed TOML text: the nested value the YAML view shows, and beside it a tree that
// says where each table, array and scalar came from (a [header], dotted keys, an inline table, an
// [[array of tables]] ...), which is what the writer needs to put an edit in the right place.
// Duplicate keys and redefined tables are refused here (DUPLICATE_KEY, with line and column).
import { ConfigErrorCode } from "../../errors.ts";
import {
  tomlError,
  type ArrayNode,
  type HeaderStatement,
  type InlineTableNode,
  type KeyValueStatement,
  type ScalarNode,
  type Statement,
} from "./toml-syntax.ts";

export type PathSegment = string | number;

/** The statements under one header (the first section, without a header, is the root table's). */
export interface Section {
  readonly header: HeaderStatement | undefined;
  /** The concrete path the header names (array-of-tables elements by index). */
  readonly path: readonly PathSegment[];
  readonly statements: KeyValueStatement[];
}

/**
 * How a table came to be:
 * - `root`: the document; `header`: a [table] header; `element`: an [[array of tables]] element;
 * - `dotted`: dotted keys under a section (`a.b = 1` makes `a`);
 * - `implicit`: only named as a parent by a header (`[a.b]` makes `a`);
 * - `inline`: an inline table `{ ... }`, or a table made by dotted keys inside one.
 */
export type TableOrigin = "root" | "header" | "element" | "dotted" | "implicit" | "inline";

export interface TableMeta {
  readonly kind: "table";
  origin: TableOrigin;
  readonly path: readonly PathSegment[];
  /** The section that defines the table (`root`, `header`, `element`) or holds its dotted keys. */
  section: Section | undefined;
  /** The inline table that holds it (`inline`). */
  readonly inline: InlineTableNode | undefined;
  /** Keys from the section's (or inline table's) table to this one (`dotted`, `inline`). */
  readonly prefix: readonly string[];
  readonly children: Map<string, Meta>;
  readonly value: Record<string, unknown>;
}

export interface ArrayMeta {
  readonly kind: "array";
  /** `inline`: a `[ ... ]` value; `tables`: an [[array of tables]]. */
  readonly origin: "inline" | "tables";
  readonly path: readonly PathSegment[];
  readonly node: ArrayNode | undefined;
  readonly elements: Meta[];
  readonly value: unknown[];
}

export interface ScalarMeta {
  readonly kind: "scalar";
  readonly path: readonly PathSegment[];
  readonly node: ScalarNode;
  /** The value as the YAML view shows it (64-bit integers as numbers, date/times as strings). */
  readonly value: unknown;
}

export type Meta = TableMeta | ArrayMeta | ScalarMeta;

export interface TomlModel {
  readonly root: TableMeta;
  readonly sections: readonly Section[];
}

function setOwn(target: Record<string, unknown> | unknown[], key: string | number, value: unknown): void {
  // `__proto__` is an ordinary TOML key: define it rather than set the prototype.
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    (target as Record<string | number, unknown>)[key] = value;
  }
}

function newTable(
  origin: TableOrigin,
  path: readonly PathSegment[],
  section: Section | undefined,
  inline: InlineTableNode | undefined,
  prefix: readonly string[],
): TableMeta {
  return { kind: "table", origin, path, section, inline, prefix, children: new Map(), value: {} };
}

function attach(parent: TableMeta | ArrayMeta, key: string | number, child: Meta): void {
  if (parent.kind === "table") parent.children.set(key as string, child);
  else parent.elements.push(child);
  setOwn(parent.value, key, child.value);
}

function viewScalar(node: ScalarNode): unknown {
  return node.type === "integer" && typeof node.value === "bigint" ? Number(node.value) : node.value;
}

class ModelBuilder {
  readonly sections: Section[] = [];
  readonly root: TableMeta;

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {
    const section: Section = { header: undefined, path: [], statements: [] };
    this.sections.push(section);
    this.root = newTable("root", [], section, undefined, []);
  }

  private duplicate(offset: number, what: string): Error {
    return tomlError(ConfigErrorCode.DuplicateKey, this.text, offset, what);
  }

  private syntax(offset: number, what: string): Error {
    return tomlError(ConfigErrorCode.Syntax, this.text, offset, what);
  }

  build(statements: readonly Statement[]): TomlModel {
    let current = this.root;
    for (const statement of statements) {
      if (statement.type === "key-value") {
        const section = this.sections[this.sections.length - 1]!;
        section.statements.push(statement);
        this.keyValue(current, statement.keys, statement.value, statement.start, section, undefined, []);
      } else {
        current = this.header(statement);
      }
    }
    return { root: this.root, sections: this.sections };
  }

  private checkDepth(path: readonly PathSegment[], offset: number): void {
    if (path.length > this.maxDepth) {
      throw tomlError(
        ConfigErrorCode.TooDeep,
        this.text,
        offset,
        `tables nested deeper than ${this.maxDepth} levels`,
      );
    }
  }

  private header(statement: HeaderStatement): TableMeta {
    const keys = statement.keys;
    const shown = keys.join(".");
    let table = this.root;
    for (const key of keys.slice(0, -1)) {
      const child = table.children.get(key);
      if (child === undefined) {
        const created = newTable("implicit", [...table.path, key], undefined, undefined, []);
        attach(table, key, created);
        table = created;
      } else if (child.kind === "table" && child.origin !== "inline") {
        table = child;
      } else if (child.kind === "array" && child.origin === "tables") {
        table = child.elements[child.elements.length - 1] as TableMeta;
      } else {
        throw this.duplicate(statement.start, `[${shown}]: ${key} is already a value, not a table`);
      }
    }
    const last = keys[keys.length - 1]!;
    this.checkDepth(
      statement.type === "table" ? [...table.path, last] : [...table.path, last, 0],
      statement.start,
    );
    const existing = table.children.get(last);
    if (statement.type === "table") {
      const path = [...table.path, last];
      const section: Section = { header: statement, path, statements: [] };
      if (existing === undefined) {
        const created = newTable("header", path, section, undefined, []);
        attach(table, last, created);
        this.sections.push(section);
        return created;
      }
      if (existing.kind === "table" && existing.origin === "implicit") {
        existing.origin = "header";
        existing.section = section;
        this.sections.push(section);
        return existing;
      }
      throw this.duplicate(statement.start, `table [${shown}] is defined more than once`);
    }
    let array: ArrayMeta;
    if (existing === undefined) {
      array = {
        kind: "array",
        origin: "tables",
        path: [...table.path, last],
        node: undefined,
        elements: [],
        value: [],
      };
      attach(table, last, array);
    } else if (existing.kind === "array" && existing.origin === "tables") {
      array = existing;
    } else {
      throw this.duplicate(
        statement.start,
        `[[${shown}]]: ${shown} is already defined and is not an array of tables`,
      );
    }
    const path = [...array.path, array.elements.length];
    const section: Section = { header: statement, path, statements: [] };
    const element = newTable("element", path, section, undefined, []);
    attach(array, array.elements.length, element);
    this.sections.push(section);
    return element;
  }

  /**
   * Puts `keys = value` into `table`: in a section (`inline` undefined) or in an inline table, whose
   * own keys start at `prefix` relative to the section's table or the inline table.
   */
  private keyValue(
    table: TableMeta,
    keys: readonly string[],
    value: ScalarNode | ArrayNode | InlineTableNode,
    offset: number,
    section: Section | undefined,
    inline: InlineTableNode | undefined,
    prefix: readonly string[],
  ): void {
    let target = table;
    const walked = [...prefix];
    for (const key of keys.slice(0, -1)) {
      walked.push(key);
      const child = target.children.get(key);
      if (child === undefined) {
        const origin = inline ? "inline" : "dotted";
        const created = newTable(origin, [...target.path, key], section, inline, [...walked]);
        attach(target, key, created);
        target = created;
      } else if (
        child.kind === "table" &&
        child.origin === (inline ? "inline" : "dotted") &&
        child.inline === inline
      ) {
        target = child;
      } else {
        throw this.duplicate(offset, `${keys.join(".")}: ${walked.join(".")} is already defined`);
      }
    }
    const last = keys[keys.length - 1]!;
    if (target.children.has(last)) throw this.duplicate(offset, `duplicate key "${keys.join(".")}"`);
    this.checkDepth([...target.path, last], offset);
    attach(target, last, this.valueMeta(value, [...target.path, last]));
  }

  private valueMeta(node: ScalarNode | ArrayNode | InlineTableNode, path: readonly PathSegment[]): Meta {
    this.checkDepth(path, node.start);
    if (node.type === "array") {
      const array: ArrayMeta = { kind: "array", origin: "inline", path, node, elements: [], value: [] };
      node.items.forEach((item, index) => attach(array, index, this.valueMeta(item, [...path, index])));
      return array;
    }
    if (node.type === "inline-table") {
      const table = newTable("inline", path, undefined, node, []);
      for (const entry of node.entries) {
        if (entry.keys.length === 0) throw this.syntax(entry.start, "empty key");
        this.keyValue(table, entry.keys, entry.value, entry.start, undefined, node, []);
      }
      return table;
    }
    return { kind: "scalar", path, node, value: viewScalar(node) };
  }
}

/** The model of parsed statements; throws ConfigError `DUPLICATE_KEY` for a key or table defined twice. */
export function buildTomlModel(text: string, statements: readonly Statement[], maxDepth: number): TomlModel {
  return new ModelBuilder(text, maxDepth).build(statements);
}
