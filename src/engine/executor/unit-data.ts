// The Unit's documents over one execution: parsed once, edited in place by the functions, restored
// from text when a function must leave no trace. Change detection is a comparison of serialised text,
// which is O(1) while nothing was edited (ConfigDocumentSet caches its text until the first edit).
import { ConfigError, parseConfig, toolchainIdentity } from "../../config/index.ts";
import type { ConfigDocumentSet } from "../../config/index.ts";
import { ConfigDataError } from "../errors.ts";
import type { DocumentSnapshot, SimilarTypes } from "../mutations/compute-mutations.ts";
import type { ResourceCategory, ResourceInfo, ToolchainType } from "../types.ts";

export class UnitData {
  readonly toolchain: ToolchainType;
  readonly similarTypes: SimilarTypes;
  private readonly input: string;
  private data: ConfigDocumentSet | undefined;

  constructor(text: string, toolchain: ToolchainType) {
    this.input = text;
    this.toolchain = toolchain;
    const identity = toolchainIdentity(toolchain);
    this.similarTypes = (a, b) => identity.similarTypes(a, b);
  }

  /** The documents, parsed on first use (spec §3: only once a function is about to run). */
  documents(): ConfigDocumentSet {
    this.data ??= parseUnitText(this.input, this.toolchain, "configuration data");
    return this.data;
  }

  get parsed(): boolean {
    return this.data !== undefined;
  }

  /** The current text: the input itself until a function changes something. */
  text(): string {
    return this.data ? this.data.toString() : this.input;
  }

  /** Puts the documents back to exactly `text` (a restore point taken with `text()`). */
  restore(text: string): void {
    if (this.data && this.data.toString() === text) return;
    this.data = parseUnitText(text, this.toolchain, "configuration data");
  }

  /**
   * Captures what compute-mutations needs about the current documents. Plain values are read now (they
   * are cached and frozen, so this is cheap); texts and identities only when asked for.
   */
  snapshot(restorePoint: string): DocumentSnapshot[] {
    const documents = this.documents().documents;
    const identify = toolchainIdentity(this.toolchain);
    let reparsed: ConfigDocumentSet | undefined;
    return documents.map((document, i) => {
      const value = document.toJS();
      return lazySnapshot(value, identify.identify.bind(identify), () => {
        // The document may since have been edited in place: read its old text from the restore point.
        reparsed ??= parseUnitText(restorePoint, this.toolchain, "configuration data");
        return reparsed.documents[i]!.toString();
      });
    });
  }

  /** Snapshots of the documents as they are now, for the modified side of a diff. */
  current(): DocumentSnapshot[] {
    const identify = toolchainIdentity(this.toolchain);
    return this.documents().documents.map((document) =>
      lazySnapshot(document.toJS(), identify.identify.bind(identify), () => document.toString()),
    );
  }
}

function lazySnapshot(
  value: unknown,
  identify: (value: unknown) => { type: string; name: string; nameWithoutScope: string; category: string },
  text: () => string,
): DocumentSnapshot {
  let info: ResourceInfo | undefined;
  let body: string | undefined;
  return {
    value,
    get info(): ResourceInfo {
      if (!info) {
        const identity = identify(value);
        info = {
          ResourceName: identity.name,
          ResourceNameWithoutScope: identity.nameWithoutScope,
          ResourceType: identity.type,
          ResourceCategory: identity.category as ResourceCategory,
        };
      }
      return info;
    },
    text: () => (body ??= text()),
  };
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
