// One Unit's config data: every YAML document of the text, in order, with the bytes between them.
// `toString()` gives back the input byte for byte until something is edited, and afterwards changes
// only the edited lines. For a non-YAML toolchain the documents are the format's YAML view, and the
// text is the native text: the input until an edit, then the view's encoding of the edited documents.
import { CST } from "yaml";
import { ConfigError, ConfigErrorCode } from "../errors.ts";
import type { ToolchainIdentity } from "../identity/resource-identity.ts";
import type { ToolchainType } from "../toolchain-types.ts";
import type { NativeView } from "../native/native-format.ts";
import type { ParseLimits } from "../parse/limits.ts";
import { parseUnit, type ParsedUnit } from "../parse/parse-unit.ts";
import { ConfigDocument } from "./config-document.ts";
import type { DocumentHost } from "./document-host.ts";
import { hasDocumentStart, isResourceDocument, type DocumentSlot } from "./document-slot.ts";

/** The slots of a freshly parsed Unit text. */
export function slotsOf(parsed: ParsedUnit): DocumentSlot[] {
  return parsed.slots.map((s) => ({
    leading: s.leading,
    state: s.state,
    resource: isResourceDocument(s.state.document()),
  }));
}

function tokensText(tokens: readonly CST.Token[]): string {
  let text = "";
  for (const token of tokens) text += CST.stringify(token);
  return text;
}

function newlineToken(eol: string): CST.SourceToken {
  return { type: "newline", offset: -1, indent: 0, source: eol };
}

/** A `---` line, `---#` included (ConfigHub reads it as `---` and a comment: lex-yaml.ts). */
function startsWithDocumentMarker(text: string): boolean {
  return /^---(?:[ \t\r\n#]|$)/.test(text);
}

/** Whether a document of this plain value is one a parse keeps (isResourceDocument, by value). */
function isResourceValue(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object") return Object.keys(value).length > 0;
  return true;
}

/** Whether the value nests fewer than `limit` collections deep (a parse refuses deeper than the limit). */
function depthBelow(value: unknown, limit: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!;
    if (current === null || typeof current !== "object") continue;
    if (depth + 1 >= limit) return false;
    for (const child of Object.values(current)) stack.push({ value: child, depth: depth + 1 });
  }
  return true;
}

/** Internal construction data; use `parseConfig()` to make a set. */
export interface ConfigDocumentSetInit {
  readonly toolchain: ToolchainType;
  readonly identity: ToolchainIdentity;
  readonly limits: ParseLimits;
  /** The Unit text: YAML, or the native text of a non-YAML toolchain (then `native` is set). */
  readonly text: string;
  readonly slots: DocumentSlot[];
  readonly trailing: CST.Token[];
  /** A non-YAML toolchain's decoded text; the slots hold its YAML view. */
  readonly native?: NativeView;
}

export class ConfigDocumentSet {
  /** The toolchain whose identity rules apply to the documents. */
  readonly toolchain: ToolchainType;
  readonly #identity: ToolchainIdentity;
  readonly #limits: ParseLimits;
  readonly #native: NativeView | undefined;
  readonly #eol: string;
  #slots: DocumentSlot[];
  #trailing: CST.Token[];
  /** The serialised text; the input itself until the first edit. */
  #text: string | undefined;
  #documents: ConfigDocument[] | undefined;
  #positionOf: Map<DocumentSlot, number> | undefined;
  readonly #handles = new WeakMap<DocumentSlot, ConfigDocument>();
  readonly #host: DocumentHost;

  /** Use `parseConfig(text, options)`. */
  constructor(init: ConfigDocumentSetInit) {
    this.toolchain = init.toolchain;
    this.#identity = init.identity;
    this.#limits = init.limits;
    this.#text = init.text;
    this.#native = init.native;
    // The line break of the YAML the slots hold (a native toolchain's view, not its native text).
    this.#eol = (init.native ? init.native.yaml : init.text).includes("\r\n") ? "\r\n" : "\n";
    this.#slots = init.slots;
    this.#trailing = init.trailing;
    this.#host = {
      identity: init.identity,
      limits: init.limits,
      eol: this.#eol,
      indexOf: (slot) => this.#positions().get(slot) ?? -1,
      changed: () => {
        this.#text = undefined;
      },
    };
  }

  /** True when the text is a non-YAML toolchain's native text and the documents are its YAML view. */
  get isNative(): boolean {
    return this.#native !== undefined;
  }

  /** The resource documents, in text order. Empty and comment-only documents are not included. */
  get documents(): readonly ConfigDocument[] {
    if (!this.#documents) {
      this.#documents = this.#resourceSlots().map((slot) => this.#handle(slot));
    }
    return this.#documents;
  }

  /**
   * The whole Unit text: byte-identical to the input when nothing was edited. A non-YAML toolchain's
   * text is native: its format encodes the edited documents onto the input (and throws ConfigError
   * `INVALID_VALUE` for a value the format cannot hold).
   */
  toString(): string {
    if (this.#text === undefined && this.#native) {
      this.#text = this.#native.encode(this.documents.map((document) => document.toJS()));
    } else if (this.#text === undefined) {
      let text = "";
      for (const slot of this.#slots) text += tokensText(slot.leading) + slot.state.text();
      this.#text = text + tokensText(this.#trailing);
    }
    return this.#text;
  }

  /**
   * The resource documents' plain values as `parseConfig(this.toString())` would give them, without
   * parsing: every edit keeps a document's values in step with its text (test/config/property.test.ts
   * checks it). Undefined when a parse could differ: a document edited into an empty one (a parse
   * leaves it out), a text over the size limit or values near the depth limit (a parse refuses
   * them), or a non-YAML toolchain (its YAML view is not its text).
   */
  parsedValues(): unknown[] | undefined {
    if (this.#native) return undefined;
    const text = this.toString();
    const size = text.length * 3 <= this.#limits.maxBytes ? text.length : Buffer.byteLength(text, "utf8");
    if (size > this.#limits.maxBytes) return undefined;
    const values = this.documents.map((document) => document.toJS());
    const kept = values.every((value) => isResourceValue(value) && depthBelow(value, this.#limits.maxDepth));
    return kept ? values : undefined;
  }

  /**
   * An independent copy: edits to either set never show in the other. The copy's documents start
   * from their text and cached plain values and parse only when read, so a clone costs no parsing.
   */
  clone(): ConfigDocumentSet {
    return new ConfigDocumentSet({
      toolchain: this.toolchain,
      identity: this.#identity,
      limits: this.#limits,
      text: this.toString(),
      slots: this.#slots.map((slot) => ({
        leading: [...slot.leading],
        state: slot.state.copy(),
        resource: slot.resource,
      })),
      trailing: [...this.#trailing],
      ...(this.#native ? { native: this.#native } : {}),
    });
  }

  /**
   * Adds a document at the end (upsert-resource, replicate). `yamlText` must hold exactly one resource
   * document; a `---` separator is added when needed.
   */
  append(yamlText: string): ConfigDocument {
    return this.#insertSlot(this.#slots.length, yamlText);
  }

  /** Inserts a document so that it becomes `documents[index]`. */
  insert(index: number, yamlText: string): ConfigDocument {
    const resources = this.#resourceSlots();
    if (!Number.isInteger(index) || index < 0 || index > resources.length) {
      throw this.#indexError(index, resources.length + 1, "insert");
    }
    const position = index === resources.length ? this.#slots.length : this.#slots.indexOf(resources[index]!);
    return this.#insertSlot(position, yamlText);
  }

  /**
   * Replaces the text of `documents[index]` with `yamlText` (one resource document). The `---` line
   * and the comments before the document are kept.
   */
  replace(index: number, yamlText: string): ConfigDocument {
    const slot = this.#resourceSlot(index, "replace");
    const token = slot.state.token;
    const body = this.#normalise(yamlText);
    let text = body;
    if (hasDocumentStart(token)) {
      const marker = token.start.findIndex((t) => t.type === "doc-start");
      const newline = token.start.findIndex((t, i) => i > marker && t.type === "newline");
      const line = token.start
        .slice(0, newline + 1)
        .map((t) => t.source)
        .join("");
      // No line break: no newline token, or the empty one of a `---#` line (whose comment belongs
      // to the document being replaced).
      const prefix = newline >= 0 && line.endsWith("\n") ? line : `---${this.#eol}`;
      text = prefix + (startsWithDocumentMarker(body) ? body.replace(/^---[^\n]*\n/, "") : body);
    }
    const isLast = this.#slots[this.#slots.length - 1] === slot;
    const parsed = this.#parseOne(isLast ? text : this.#withFinalNewline(text), "replace");
    slot.leading.push(...parsed.leading);
    slot.state = parsed.state;
    this.#host.changed();
    return this.#handle(slot);
  }

  /** Removes `documents[index]` and its `---` line; comments before it stay. */
  remove(index: number): void {
    const slot = this.#resourceSlot(index, "remove");
    const position = this.#slots.indexOf(slot);
    // Directives apply only to the removed document; comments and `...` markers stay in the text.
    const kept = slot.leading.filter((t) => t.type !== "directive");
    const next = this.#slots[position + 1];
    if (next) next.leading = [...kept, ...next.leading];
    else this.#trailing = [...kept, ...this.#trailing];
    this.#slots.splice(position, 1);
    this.#documents = undefined;
    this.#positionOf = undefined;
    this.#host.changed();
  }

  #insertSlot(position: number, yamlText: string): ConfigDocument {
    let text = this.#withFinalNewline(this.#normalise(yamlText));
    if (position > 0 && !startsWithDocumentMarker(text)) text = `---${this.#eol}${text}`;
    const parsed = this.#parseOne(text, "append");

    const next = this.#slots[position];
    let leading: CST.Token[];
    if (next) {
      leading = next.leading;
      next.leading = [];
      if (!hasDocumentStart(next.state.token)) this.#addDocumentStart(next);
    } else {
      leading = this.#trailing;
      this.#trailing = [];
    }
    const before = tokensText(leading);
    const previous = this.#slots[position - 1];
    const previousText = before !== "" ? before : previous ? previous.state.text() : "";
    if (previousText !== "" && !previousText.endsWith("\n")) leading.push(newlineToken(this.#eol));

    const slot: DocumentSlot = {
      leading: [...leading, ...parsed.leading],
      state: parsed.state,
      resource: true,
    };
    this.#slots.splice(position, 0, slot);
    this.#documents = undefined;
    this.#positionOf = undefined;
    this.#host.changed();
    return this.#handle(slot);
  }

  #addDocumentStart(slot: DocumentSlot): void {
    const token = slot.state.token;
    token.start.unshift({ type: "doc-start", offset: -1, indent: 0, source: "---" }, newlineToken(this.#eol));
    slot.state.markTextChanged();
  }

  #parseOne(text: string, operation: string): { leading: CST.Token[]; state: DocumentSlot["state"] } {
    const parsed = parseUnit(text, this.#limits);
    const documents = parsed.slots;
    const only = documents[0];
    if (documents.length !== 1 || !only || !isResourceDocument(only.state.document())) {
      throw new ConfigError(
        ConfigErrorCode.InvalidDocument,
        `${operation}: the text must hold exactly one non-empty YAML document, found ${documents.length === 1 ? "an empty one" : documents.length}`,
      );
    }
    const trailingText = tokensText(parsed.trailing);
    if (trailingText.trim() !== "") {
      throw new ConfigError(
        ConfigErrorCode.InvalidDocument,
        `${operation}: unexpected text after the document: ${JSON.stringify(trailingText.trim().slice(0, 40))}`,
      );
    }
    return { leading: only.leading, state: only.state };
  }

  #normalise(text: string): string {
    const lf = text.replace(/\r\n/g, "\n");
    return this.#eol === "\n" ? lf : lf.replace(/\n/g, this.#eol);
  }

  #withFinalNewline(text: string): string {
    return text.endsWith("\n") ? text : text + this.#eol;
  }

  // Index of each resource slot, rebuilt after a structural change.
  #positions(): Map<DocumentSlot, number> {
    this.#positionOf ??= new Map(this.#resourceSlots().map((slot, i) => [slot, i]));
    return this.#positionOf;
  }

  #resourceSlots(): DocumentSlot[] {
    return this.#slots.filter((slot) => slot.resource);
  }

  #resourceSlot(index: number, operation: string): DocumentSlot {
    const resources = this.#resourceSlots();
    const slot = Number.isInteger(index) ? resources[index] : undefined;
    if (!slot) throw this.#indexError(index, resources.length, operation);
    return slot;
  }

  #indexError(index: number, size: number, operation: string): ConfigError {
    return new ConfigError(
      ConfigErrorCode.DocumentIndex,
      `${operation}: document index ${index} is out of range (valid: 0 to ${size - 1})`,
    );
  }

  #handle(slot: DocumentSlot): ConfigDocument {
    let handle = this.#handles.get(slot);
    if (!handle) {
      handle = new ConfigDocument(this.#host, slot);
      this.#handles.set(slot, handle);
    }
    return handle;
  }
}
