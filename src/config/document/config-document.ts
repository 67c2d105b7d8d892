// One resource of a Unit: a YAML document read through its composed Document and edited through its
// CST, so untouched bytes stay exactly as they were.
import { CST } from "yaml";
import { builtinAccessor } from "../accessor/builtin-accessors.ts";
import type { EmbeddedAccessor } from "../accessor/embedded-accessor.ts";
import { commentedText } from "../edit/commented-text.ts";
import { DocumentEditor } from "../edit/document-editor.ts";
import { documentLayout } from "../edit/document-layout.ts";
import { find } from "../edit/locate.ts";
import { appendSequenceItem } from "../edit/sequence-append.ts";
import { assertScalar, type Scalar } from "../edit/scalar-style.ts";
import { ConfigError, ConfigErrorCode } from "../errors.ts";
import type { ResourceIdentity } from "../identity/resource-identity.ts";
import { resolvePath } from "../path/resolve-path.ts";
import type { ResolvedPath } from "../path/resolved-path.ts";
import type { DocumentHost } from "./document-host.ts";
import { type DocumentSlot } from "./document-slot.ts";
import { nodeRef, type NodeRef } from "./node-ref.ts";

/** Options of `resolve`. */
export interface ResolveOptions {
  /** Upsert mode (spec §1.2): plain segments after the last pattern may be missing. */
  upsert?: boolean;
  /** A concrete path laid over the pattern position by position (spec §1.2 "Constraint"). */
  constraint?: string;
}

/** Options of `get` and `set` for `#accessor` paths. */
export interface AccessorOptions {
  /**
   * The accessor that serves the path's `#name` (for example one from the path registry). Without it
   * the built-in accessors are used: `#uri`, `#reference` (images), `#subdomain`, `#domain` (hostnames).
   */
  accessor?: EmbeddedAccessor;
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "object") return "map";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  return typeof value;
}

export class ConfigDocument {
  readonly #host: DocumentHost;
  readonly #slot: DocumentSlot;

  /** Created by ConfigDocumentSet; use `parseConfig(text).documents`. */
  constructor(host: DocumentHost, slot: DocumentSlot) {
    this.#host = host;
    this.#slot = slot;
  }

  /** Position among the set's resource documents (-1 after `remove`). */
  get index(): number {
    return this.#host.indexOf(this.#slot);
  }

  /**
   * The resource's identity (type, scoped name, category) per the set's toolchain.
   * @throws ConfigError with code `IDENTITY` when the type or the name is missing.
   */
  identity(): ResourceIdentity {
    try {
      return this.#host.identity.identify(this.toJS());
    } catch (error) {
      if (error instanceof ConfigError && error.code === ConfigErrorCode.Identity) {
        const { documentIndex, line } = this.#slot.state.origin;
        throw new ConfigError(error.code, `${error.message} (document ${this.index}, line ${line})`, {
          documentIndex,
          line,
          cause: error,
        });
      }
      throw error;
    }
  }

  /** Like `identity()`, but undefined instead of an error when the type or name is missing. */
  tryIdentity(): ResourceIdentity | undefined {
    try {
      return this.#host.identity.identify(this.toJS());
    } catch (error) {
      if (error instanceof ConfigError && error.code === ConfigErrorCode.Identity) return undefined;
      throw error;
    }
  }

  /**
   * The document as a plain JSON-like value (maps become objects, `<<` merges applied). Cached until
   * the next edit and deeply frozen: copy it before changing it.
   */
  toJS(): unknown {
    return this.#slot.state.toJS();
  }

  /**
   * Resolves a path expression against this document (spec §1.2) into concrete paths with their
   * parameter bindings, in document order. Getter mode returns only what exists; upsert mode also
   * returns the plain tail after the last pattern when it is missing. A path without patterns always
   * resolves to itself.
   * @throws ConfigError `EMPTY_PATH` or `PATH_SYNTAX` (with `pathColumn`) for a bad path.
   */
  resolve(path: string, options: ResolveOptions = {}): ResolvedPath[] {
    return resolvePath(this.#slot.state.document(), path, options);
  }

  /**
   * The value at a path (the first match of a string path, in document order), or undefined when
   * nothing is there. With a `#accessor`, `value` is the accessor's part of the string ("" when the
   * string does not have that part).
   * @throws ConfigError `INVALID_VALUE` when an accessor path holds something other than a string.
   */
  get(path: string | ResolvedPath, options: AccessorOptions = {}): NodeRef | undefined {
    const resolved = typeof path === "string" ? this.resolve(path)[0] : path;
    if (!resolved) return undefined;
    const document = this.#slot.state.document();
    const found = find(document, resolved.segments);
    if (!found) return undefined;
    const above = [...this.#slot.leading, ...this.#slot.state.token.start];
    const ref = nodeRef(found.node, found.holder, document, this.#host.limits.maxAliases, above);
    if (resolved.accessor === undefined) return ref;
    const accessor = options.accessor ?? builtinAccessor(resolved.accessor, resolved.path);
    if (typeof ref.value !== "string") throw this.#notAString(ref.value, resolved);
    return { ...ref, value: accessor.get(ref.value, resolved.accessor), type: "string" };
  }

  /**
   * The YAML text of the value at a path (the first match) with the comments inside it, as
   * ConfigHub's MutationInfo.Value carries them; undefined when nothing is there or the value holds
   * no comment (its plain value then says everything).
   */
  commentedText(path: string | ResolvedPath): string | undefined {
    const resolved = typeof path === "string" ? this.resolve(path)[0] : path;
    if (!resolved || resolved.accessor !== undefined) return undefined;
    const found = find(this.#slot.state.documentWithComments(), resolved.segments);
    return found ? commentedText(found.node) : undefined;
  }

  /**
   * Writes a string, number or boolean at every match of the path. Existing scalars keep their
   * quoting style and comments (a string that would read as another type is double-quoted);
   * `upsert` creates missing map keys (appended at the end of their map, in the map's style), never
   * array elements. A `#accessor` path replaces only that part of the string and never creates it.
   * @returns true if the document text changed.
   * @throws ConfigError `OUT_OF_BOUNDS`, `INVALID_ARRAY_INDEX`, `UNEXPECTED_NODE_KIND`,
   *   `ALIAS_WRITE`, `EMBEDDED_FIELD_NOT_FOUND`, `INVALID_VALUE`.
   */
  set(
    path: string | ResolvedPath,
    value: Scalar,
    options: { upsert?: boolean } & AccessorOptions = {},
  ): boolean {
    assertScalar(value, typeof path === "string" ? path : path.path);
    const upsert = options.upsert === true;
    const targets = typeof path === "string" ? this.resolve(path, { upsert }) : [path];
    let changed = false;
    for (const target of targets) {
      if (target.accessor === undefined) {
        changed = this.#editor().setScalar(target.segments, value, upsert) || changed;
        continue;
      }
      const current = this.get({ ...target, accessor: undefined });
      if (!current) continue;
      if (typeof current.value !== "string") throw this.#notAString(current.value, target);
      if (typeof value !== "string") throw this.#notAString(value, target, "the new value");
      const accessor = options.accessor ?? builtinAccessor(target.accessor, target.path);
      const text = accessor.set(current.value, target.accessor, value, `${target.path}#${target.accessor}`);
      changed = this.#editor().setScalar(target.segments, text, false) || changed;
    }
    if (changed) this.#host.changed();
    return changed;
  }

  /**
   * Writes any plain value (map, list, scalar or null) at every match of the path, creating missing
   * map keys. New maps and lists follow the document's indentation and list style; an existing
   * value's key, anchor and line comment are kept.
   * @returns true if the document text changed.
   */
  setValue(path: string | ResolvedPath, value: unknown): boolean {
    const targets = typeof path === "string" ? this.resolve(path, { upsert: true }) : [path];
    let changed = false;
    for (const target of targets) {
      if (target.accessor !== undefined) {
        throw new ConfigError(
          ConfigErrorCode.InvalidValue,
          `setValue cannot write through #${target.accessor} at ${target.path}: use set() for accessor paths`,
          { path: target.path },
        );
      }
      changed = this.#editor().setValue(target.segments, value) || changed;
    }
    if (changed) this.#host.changed();
    return changed;
  }

  /**
   * Removes every match of the path (map entries and array elements, later ones first). Removing
   * the last entry of a map or list leaves `{}` or `[]`.
   * @returns true if something was removed.
   */
  delete(path: string | ResolvedPath): boolean {
    const targets = typeof path === "string" ? this.resolve(path) : [path];
    let changed = false;
    for (const target of [...targets].reverse()) {
      changed = this.#editor().remove(target.segments) || changed;
    }
    if (changed) this.#host.changed();
    return changed;
  }

  /**
   * Appends a plain value as the last element of the list at every match of the path. The other
   * elements keep their text (comments and flow style included); the new one follows the list's
   * layout.
   * @returns false when the path does not exist.
   * @throws ConfigError `UNEXPECTED_NODE_KIND` when the path holds no list, `ALIAS_WRITE`.
   */
  appendItem(path: string | ResolvedPath, value: unknown): boolean {
    const targets = typeof path === "string" ? this.resolve(path) : [path];
    let changed = false;
    for (const target of targets) {
      const state = this.#slot.state;
      const layout = documentLayout(state.token, this.#host.eol);
      if (appendSequenceItem(state.document(), target.segments, value, layout)) {
        state.markEdited();
        changed = true;
      }
    }
    if (changed) this.#host.changed();
    return changed;
  }

  /**
   * Sets the line comment (`value # comment`) of every match of the path; `#` is added when the
   * text lacks it, and "" removes the comment.
   * @returns true if the document text changed.
   */
  setLineComment(path: string | ResolvedPath, comment: string): boolean {
    const targets = typeof path === "string" ? this.resolve(path) : [path];
    let changed = false;
    for (const target of targets) {
      changed = this.#editor().setLineComment(target.segments, comment) || changed;
    }
    if (changed) this.#host.changed();
    return changed;
  }

  #editor(): DocumentEditor {
    return new DocumentEditor(this.#slot.state, this.#host.eol, this.#host.limits.maxAliases);
  }

  #notAString(value: unknown, target: ResolvedPath, what = "the value"): ConfigError {
    return new ConfigError(
      ConfigErrorCode.InvalidValue,
      `${what} ${JSON.stringify(value)} at path ${target.path} is of type ${describeValue(value)} but #${target.accessor} expects a string`,
      { path: target.path },
    );
  }

  /** This document's text, without the `---` line that separates it from the previous document. */
  toString(): string {
    const token = this.#slot.state.token;
    let start = token.start;
    const marker = start.findIndex((t) => t.type === "doc-start");
    if (marker >= 0) {
      const newline = start.findIndex((t, i) => i > marker && t.type === "newline");
      start = newline >= 0 ? start.slice(newline + 1) : start.slice(marker + 1);
    }
    let text = "";
    for (const t of start) text += t.source;
    if (token.value) text += CST.stringify(token.value);
    for (const t of token.end ?? []) text += t.source;
    return text;
  }
}
