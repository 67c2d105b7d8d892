// One resource of a Unit: a YAML document read through its composed Document and edited through its
// CST, so untouched bytes stay exactly as they were.
import { CST } from "yaml";
import { ConfigError, ConfigErrorCode } from "../errors.ts";
import type { ResourceIdentity } from "../identity/resource-identity.ts";
import type { DocumentHost } from "./document-host.ts";
import { type DocumentSlot } from "./document-slot.ts";

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
   * @throws ConfigError with code `identity` when the type or the name is missing.
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
