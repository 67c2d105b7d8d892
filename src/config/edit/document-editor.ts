// Writes to one document at concrete (resolved) paths: scalars in place, everything else by
// grafting rendered YAML into the CST. Every method returns whether the document text changed.
import { CST, isAlias, isMap, isScalar, type Document, type Node } from "yaml";
import type { DocumentState } from "../document/document-state.ts";
import { ConfigError, ConfigErrorCode, isConfigError } from "../errors.ts";
import { formatSegments } from "../path/format-path.ts";
import { sourceToken } from "./cst-tokens.ts";
import { documentLayout } from "./document-layout.ts";
import { commentSource, writeLineComment } from "./line-comment.ts";
import { locate, type Holder, type Location } from "./locate.ts";
import { assertPlainValue } from "./render-value.ts";
import { isScalarToken, writeScalar } from "./scalar-write.ts";
import type { Scalar } from "./scalar-style.ts";
import { insertEntry, removeEntry, replaceValue } from "./structure-write.ts";

type Segments = readonly (string | number)[];

function inFlow(holder: Holder): boolean {
  const collection = holder.kind === "map" ? holder.map : holder.kind === "seq" ? holder.seq : undefined;
  return sourceToken(collection)?.type === "flow-collection";
}

function holderText(holder: Holder, document: CST.Document): string {
  return holder.kind === "document" ? CST.stringify(document) : CST.stringify(holder.item);
}

function isScalarValue(value: unknown): value is Scalar {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

/** `{ k1: { k2: value } }` for the keys that do not exist yet. */
function nest(segments: Segments, from: number, value: unknown): unknown {
  let nested = value;
  for (let i = segments.length - 1; i > from; i--) nested = { [String(segments[i])]: nested };
  return nested;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  return (
    keysA.length === keysB.length &&
    keysA.every(
      (k, i) =>
        keysB[i] === k && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    )
  );
}

export class DocumentEditor {
  readonly #state: DocumentState;
  readonly #eol: string;
  readonly #maxAliases: number;

  constructor(state: DocumentState, eol: string, maxAliases: number) {
    this.#state = state;
    this.#eol = eol;
    this.#maxAliases = maxAliases;
  }

  get #document(): Document.Parsed {
    return this.#state.document();
  }

  #layout() {
    return documentLayout(this.#state.token, this.#eol);
  }

  /** Writes a scalar; creates missing map keys when `create` is set. */
  setScalar(segments: Segments, value: Scalar, create: boolean): boolean {
    const where = formatSegments(segments);
    const location = locate(this.#document, segments);
    if (!location.found) return create ? this.#create(location, segments, value) : false;
    const { node, holder } = location;
    const token = sourceToken(node);
    if (isScalar(node) && isScalarToken(token)) {
      if (node.value === value) return false;
      const before = holderText(holder, this.#state.token);
      writeScalar(node, token, holder, value, inFlow(holder), this.#eol);
      this.#state.markValuesChanged();
      return holderText(holder, this.#state.token) !== before;
    }
    if (node === null || isAlias(node) || (isScalar(node) && node.value === null)) {
      replaceValue(holder, node, value, this.#layout(), where);
      this.#state.markValuesChanged();
      return true;
    }
    throw new ConfigError(
      ConfigErrorCode.UnexpectedNodeKind,
      `unexpected node kind ${isMap(node) ? "map" : "seq"} at ${where}: set() writes scalars, use setValue() to replace a map or list`,
      { path: where },
    );
  }

  /** Writes any plain value (map, list, scalar, null), creating missing map keys. */
  setValue(segments: Segments, value: unknown): boolean {
    const where = formatSegments(segments);
    assertPlainValue(value, where);
    const location = locate(this.#document, segments);
    if (!location.found) return this.#create(location, segments, value);
    const { node, holder } = location;
    if (isScalarValue(value) && isScalar(node) && isScalarToken(sourceToken(node))) {
      return this.setScalar(segments, value, false);
    }
    if (!isAlias(node)) {
      const current =
        node === null ? null : (node as Node).toJS(this.#document, { maxAliasCount: this.#maxAliases });
      const sameKind = Array.isArray(current) === Array.isArray(value);
      if (sameKind && sameValue(current, value)) return false;
    }
    replaceValue(holder, node, value, this.#layout(), where);
    this.#state.markValuesChanged();
    return true;
  }

  #create(location: Extract<Location, { found: false }>, segments: Segments, value: unknown): boolean {
    const where = formatSegments(segments);
    const key = String(segments[location.missingFrom]);
    const nested = nest(segments, location.missingFrom, value);
    if (location.container) {
      insertEntry(location.container, key, nested, this.#layout(), where);
    } else {
      const holder = location.holder;
      const node =
        holder.kind === "map"
          ? (holder.pair.value as Node | null)
          : holder.kind === "seq"
            ? (holder.seq.items[holder.index] as Node | null)
            : null;
      replaceValue(holder, node, { [key]: nested }, this.#layout(), where);
    }
    this.#state.markValuesChanged();
    return true;
  }

  /** Removes the entry at the path; false when it does not exist (inherited `<<` keys included). */
  remove(segments: Segments): boolean {
    if (segments.length === 0) return false;
    const where = formatSegments(segments);
    let location: Location;
    let owner: Location;
    try {
      owner = locate(this.#document, segments.slice(0, -1));
      location = locate(this.#document, segments);
    } catch (error) {
      if (
        isConfigError(error, ConfigErrorCode.OutOfBounds) ||
        isConfigError(error, ConfigErrorCode.UnexpectedNodeKind)
      ) {
        return false;
      }
      throw error;
    }
    if (!location.found || !owner.found || owner.node === null) return false;
    removeEntry(location.holder, owner.holder, owner.node, this.#state.token, this.#layout(), where);
    this.#state.markValuesChanged();
    return true;
  }

  /** Sets the line comment of the value at the path ("" removes it); false when the path is missing. */
  setLineComment(segments: Segments, comment: string): boolean {
    const where = formatSegments(segments);
    const source = commentSource(comment, where);
    const location = locate(this.#document, segments);
    if (!location.found) return false;
    const changed = writeLineComment(location.holder, location.node, source, where);
    if (changed) this.#state.markTextChanged();
    return changed;
  }
}
