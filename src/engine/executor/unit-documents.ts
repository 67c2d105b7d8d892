// The Unit's documents over one execution: parsed once, edited in place by the functions, restored
// from text when a function must leave no trace. Change detection is a comparison of serialised text,
// which is O(1) while nothing was edited (ConfigDocumentSet caches its text until the first edit).
import { ConfigError, parseConfig, toolchainIdentity } from "../../config/index.ts";
import type { ConfigDocument, ConfigDocumentSet, ToolchainIdentity } from "../../config/index.ts";
import { ConfigDataError } from "../errors.ts";
import type { DocumentSnapshot, SimilarTypes } from "../mutations/compute-mutations.ts";
import { dotPathLocation } from "../mutations/paths.ts";
import type { ResourceCategory, ResourceInfo, ToolchainType } from "../types.ts";

export class UnitDocuments {
  readonly toolchain: ToolchainType;
  readonly similarTypes: SimilarTypes;
  private readonly identity: ToolchainIdentity;
  /** The text the documents are parsed from on first use: the input, or data adopted since. */
  private source: string;
  private data: ConfigDocumentSet | undefined;
  /** The last `current()` snapshots and the text they describe: the next function's "previous". */
  private latest: { text: string; snapshots: Snapshot[] } | undefined;

  /** `parsed`: `text` already parsed for `toolchain` by the caller (e.g. for where_data), used as is. */
  constructor(text: string, toolchain: ToolchainType, parsed?: ConfigDocumentSet) {
    this.source = text;
    this.toolchain = toolchain;
    this.data = parsed;
    this.identity = toolchainIdentity(toolchain);
    const identity = this.identity;
    this.similarTypes = (a, b) => identity.similarTypes(a, b);
  }

  /** The documents, parsed on first use (spec §3: only once a function is about to run). */
  documents(): ConfigDocumentSet {
    this.data ??= parseUnitText(this.source, this.toolchain, "configuration data");
    return this.data;
  }

  /** The documents if they were parsed (a function ran), as they are now; undefined otherwise. */
  parsed(): ConfigDocumentSet | undefined {
    return this.data;
  }

  /** The current text: the input itself until a function changes something. */
  text(): string {
    return this.data ? this.data.toString() : this.source;
  }

  /**
   * The documents become `text`, which the caller has already checked parses for the toolchain
   * (on another thread): it is parsed here again only if something asks for the documents.
   */
  adopt(text: string): void {
    this.source = text;
    this.data = undefined;
    this.latest = undefined;
  }

  /** Puts the documents back to exactly `text` (a restore point taken with `text()`). */
  restore(text: string): void {
    if (this.data && writable(this.data) === text) return;
    this.data = parseUnitText(text, this.toolchain, "configuration data");
    this.latest = undefined;
  }

  /**
   * What compute-mutations needs about the documents before a function runs. Plain values are read
   * now (cached and frozen, so this is cheap); identities and texts only when asked for, the texts
   * from the restore point because the documents are about to be edited in place.
   */
  snapshot(restorePoint: string): DocumentSnapshot[] {
    const source = new RestorePointTexts(restorePoint, this.toolchain);
    if (this.latest && this.latest.text === restorePoint) {
      for (const snapshot of this.latest.snapshots) snapshot.detach(source);
      return this.latest.snapshots;
    }
    return this.documents().documents.map(
      (document, i) => new Snapshot(document.toJS(), this.identity, source, i),
    );
  }

  /**
   * Snapshots of `text` parsed on its own, the documents staying as they are: the diff's "before"
   * side when they already hold later data (ConfigDataError when `text` does not parse).
   */
  snapshotOf(text: string): DocumentSnapshot[] {
    const documents = parseUnitText(text, this.toolchain, "configuration data").documents;
    const source = new LiveTexts(documents);
    return documents.map((document, i) => new Snapshot(document.toJS(), this.identity, source, i));
  }

  /** Snapshots of the documents as they are now, for the modified side of a diff. */
  current(): DocumentSnapshot[] {
    const documents = this.documents().documents;
    const source = new LiveTexts(documents);
    const snapshots = documents.map((document, i) => new Snapshot(document.toJS(), this.identity, source, i));
    this.latest = { text: this.text(), snapshots };
    return snapshots;
  }
}

/**
 * The text of `data`, or undefined when the edited documents have no text: a non-YAML toolchain's
 * format refuses a value it cannot write (ConfigError INVALID_VALUE), and the failed function's
 * restore must not throw that again.
 */
function writable(data: ConfigDocumentSet): string | undefined {
  try {
    return data.toString();
  } catch (error) {
    if (error instanceof ConfigError) return undefined;
    throw error;
  }
}

/** Where a snapshot's document text comes from. */
interface TextSource {
  textOf(index: number): string;
  /** The text of the node at `location` with its comments; undefined when it has none. */
  commentedTextOf(index: number, path: string, location: (string | number)[]): string | undefined;
}

function commentedTextIn(
  document: ConfigDocument,
  path: string,
  location: (string | number)[],
): string | undefined {
  return document.commentedText({ path, segments: location, bindings: [] });
}

/** The documents as they are. */
class LiveTexts implements TextSource {
  constructor(private readonly documents: readonly ConfigDocument[]) {}

  textOf(index: number): string {
    return this.documents[index]!.toString();
  }

  commentedTextOf(index: number, path: string, location: (string | number)[]): string | undefined {
    return commentedTextIn(this.documents[index]!, path, location);
  }
}

/** The documents as they were at a restore point, parsed only if a text is ever needed (a Delete). */
class RestorePointTexts implements TextSource {
  private parsed: ConfigDocumentSet | undefined;

  constructor(
    private readonly restorePoint: string,
    private readonly toolchain: ToolchainType,
  ) {}

  textOf(index: number): string {
    return this.document(index).toString();
  }

  commentedTextOf(index: number, path: string, location: (string | number)[]): string | undefined {
    return commentedTextIn(this.document(index), path, location);
  }

  private document(index: number): ConfigDocument {
    this.parsed ??= parseUnitText(this.restorePoint, this.toolchain, "configuration data");
    return this.parsed.documents[index]!;
  }
}

class Snapshot implements DocumentSnapshot {
  private resolvedInfo: ResourceInfo | undefined;
  private resolvedText: string | undefined;

  constructor(
    readonly value: unknown,
    private readonly identity: ToolchainIdentity,
    private source: TextSource,
    private readonly index: number,
  ) {}

  get info(): ResourceInfo {
    if (!this.resolvedInfo) {
      const identity = this.identity.identify(this.value);
      this.resolvedInfo = {
        ResourceName: identity.name,
        ResourceNameWithoutScope: identity.nameWithoutScope,
        ResourceType: identity.type,
        ResourceCategory: identity.category as ResourceCategory,
      };
    }
    return this.resolvedInfo;
  }

  text(): string {
    this.resolvedText ??= this.source.textOf(this.index);
    return this.resolvedText;
  }

  /** ConfigHub's Value is the node's own YAML text: a changed node keeps its comments in it. */
  commentedText(path: string): string | undefined {
    if (path === "") return undefined;
    return this.source.commentedTextOf(this.index, path, dotPathLocation(this.value, path));
  }

  /** The live documents are about to change: read any text still needed from `source` instead. */
  detach(source: TextSource): void {
    this.source = source;
  }
}

/** Parses Unit text, turning the config layer's error into the engine's, position included. */
export function parseUnitText(text: string, toolchain: ToolchainType, what: string): ConfigDocumentSet {
  try {
    return parseConfig(text, { toolchain });
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new ConfigDataError(`${what} parsing error: ${error.message}`, {
        ...(error.line === undefined ? {} : { line: error.line }),
        ...(error.column === undefined ? {} : { column: error.column }),
        cause: error,
      });
    }
    throw error;
  }
}
