// Finding resources by type and name, the way ConfigHub's resource functions do: a name given with or
// without its scope (`ns/name` or `name`) matches on the part after the scope, so callers can pass
// either form.
import { isConfigError, ConfigErrorCode } from "../../../src/config/index.ts";
import type { ConfigDocument, ConfigDocumentSet, ResourceIdentity } from "../../../src/config/index.ts";
import { FunctionError } from "../../../src/engine/index.ts";

/** The name without its scope: the text after the first `/`, or the whole name when it has none. */
export function scopelessName(name: string): string {
  const slash = name.indexOf("/");
  return slash < 0 ? name : name.slice(slash + 1);
}

export interface IdentifiedDocument {
  readonly document: ConfigDocument;
  readonly identity: ResourceIdentity;
}

/**
 * Every document with its identity, in order. A document without a type or name fails the search:
 * `failed to search for <what>: <the config layer's message, which names the document and line>`.
 */
export function identifiedDocuments(data: ConfigDocumentSet, what: string): IdentifiedDocument[] {
  return data.documents.map((document) => {
    try {
      return { document, identity: document.identity() };
    } catch (error) {
      if (isConfigError(error, ConfigErrorCode.Identity)) {
        throw new FunctionError(`failed to search for ${what}: ${error.message}`, { cause: error });
      }
      throw error;
    }
  });
}

/** Whether `identity` is the resource of type `type` whose name, without scope, equals `name`'s. */
export function isResource(identity: ResourceIdentity, type: string, name: string): boolean {
  return identity.type === type && identity.nameWithoutScope === scopelessName(name);
}

/** Index of the last document that is the resource `type`/`name`, or -1. */
export function lastResourceIndex(
  documents: readonly IdentifiedDocument[],
  type: string,
  name: string,
): number {
  for (let i = documents.length - 1; i >= 0; i--) {
    if (isResource(documents[i]!.identity, type, name)) return i;
  }
  return -1;
}
