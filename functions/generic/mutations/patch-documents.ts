// patch-mutations (spec §4.5): replays a ResourceMutationList (the patch) onto the Unit's documents,
// except where the predicates (this Unit's own mutations, Predicate=false on what must be kept) say
// no. Design §9 fixes ConfigHub's quirk 8: a resource-level Delete removes the document and an Add or
// Replace of a resource the Unit does not have appends it (ConfigHub could do neither). A patch that
// cannot be applied (bad YAML in a Value, a path through a scalar) is an error, not a log line.
import { describeResource, ConfigError, ConfigErrorCode } from "../../../src/config/index.ts";
import type {
  ConfigDocument,
  ConfigDocumentSet,
  ResolvedPath,
  ResourceIdentity,
} from "../../../src/config/index.ts";
import { FunctionError, mutationKey } from "../../../src/engine/index.ts";
import type { MutationInfo, ResourceMutation, ResourceMutationList } from "../../../src/engine/index.ts";
import { parse as parseYaml } from "yaml";
import { mutationPath } from "./mutation-paths.ts";
import { valueComments } from "./value-comments.ts";

const ORIGINAL_NAME = "confighub.com/OriginalName";

/** Mutations by `type#scopelessName` (spec §4.1); a later entry for the same key wins, as in Go. */
export function byKey(list: ResourceMutationList): Map<string, ResourceMutation> {
  return new Map(list.map((mutation) => [mutationKey(mutation.Resource), mutation]));
}

export function patchDocuments(
  data: ConfigDocumentSet,
  predicates: ResourceMutationList,
  patch: ResourceMutationList,
): void {
  const predicateFor = byKey(predicates);
  const patchFor = byKey(patch);
  const used = new Set<ResourceMutation>();
  // Decide every document's patch before editing, so removing documents cannot shift the pairing.
  const plan: {
    document: ConfigDocument;
    resource: ResourceIdentity;
    predicate?: ResourceMutation;
    patch: ResourceMutation;
  }[] = [];
  for (const document of data.documents) {
    const resource = document.identity();
    const predicate = predicateFor.get(resourceKey(resource.type, resource.nameWithoutScope));
    const found = findPatch(document, resource, predicate, patchFor);
    if (!found) continue;
    used.add(found);
    // A resource the predicates protect keeps its content, and is not re-added either.
    if (predicate && !predicate.ResourceMutationInfo.Predicate) continue;
    plan.push({ document, resource, ...(predicate ? { predicate } : {}), patch: found });
  }
  const removals: ConfigDocument[] = [];
  for (const { document, resource, predicate, patch: entry } of plan) {
    const where = `of ${describeResource(resource)}`;
    switch (entry.ResourceMutationInfo.MutationType) {
      case "Add":
      case "Replace":
        // The Value is the whole resource as it should be; its path mutations are already in it.
        data.replace(document.index, resourceText(entry, where));
        break;
      case "Delete":
        removals.push(document);
        break;
      case "Update":
        applyPathPatches(document, entry, predicate, where);
        break;
      case "None":
        break;
    }
  }
  // Later documents first, so the earlier indices stay valid.
  for (const document of removals.sort((a, b) => b.index - a.index)) data.remove(document.index);
  for (const entry of patch) {
    const type = entry.ResourceMutationInfo.MutationType;
    if (used.has(entry) || (type !== "Add" && type !== "Replace")) continue;
    data.append(resourceText(entry, `of new ${entry.Resource.ResourceType} ${entry.Resource.ResourceName}`));
    used.add(entry);
  }
}

/** The patch for a document: by its own key, else its OriginalName annotation, else its aliases. */
function findPatch(
  document: ConfigDocument,
  resource: ResourceIdentity,
  predicate: ResourceMutation | undefined,
  patchFor: Map<string, ResourceMutation>,
): ResourceMutation | undefined {
  const own = patchFor.get(resourceKey(resource.type, resource.nameWithoutScope));
  if (own) return own;
  const annotations = (document.toJS() as { metadata?: { annotations?: Record<string, unknown> } }).metadata
    ?.annotations;
  const original = annotations?.[ORIGINAL_NAME];
  if (typeof original === "string" && original !== "") {
    const byOriginal = patchFor.get(resourceKey(resource.type, scopeless(original)));
    if (byOriginal) return byOriginal;
  }
  for (const alias of Object.keys(predicate?.AliasesWithoutScopes ?? {})) {
    const byAlias = patchFor.get(resourceKey(resource.type, alias));
    if (byAlias) return byAlias;
  }
  return undefined;
}

function applyPathPatches(
  document: ConfigDocument,
  entry: ResourceMutation,
  predicate: ResourceMutation | undefined,
  where: string,
): void {
  // Parents before children (ConfigHub's order): a parent's new value, then the changes below it.
  const paths = Object.keys(entry.PathMutationMap).sort();
  for (const path of paths) {
    if (predicate && protectedPath(path, predicate)) continue;
    const mutation = entry.PathMutationMap[path]!;
    try {
      applyPathPatch(document, path, mutation, where);
    } catch (error) {
      if (error instanceof ConfigError) {
        throw new FunctionError(`cannot patch ${path} ${where}: ${error.message}`, { cause: error });
      }
      throw error;
    }
  }
}

function applyPathPatch(document: ConfigDocument, path: string, mutation: MutationInfo, where: string): void {
  switch (mutation.MutationType) {
    case "Add":
    case "Update":
    case "Replace": {
      const target = mutationPath(document.toJS(), path, where);
      document.setValue(target, yamlValue(mutation.Value, `the Value of ${path} ${where}`));
      // The Value's line comments are part of it (compute-mutations records them).
      for (const { segments, comment } of valueComments(mutation.Value)) {
        writeComment(document, { ...target, segments: [...target.segments, ...segments] }, comment);
      }
      break;
    }
    case "Delete":
      document.delete(mutationPath(document.toJS(), path, where));
      break;
    case "None":
      break;
  }
}

/**
 * Writes a Value's line comment onto the patched node. A node inside the target's own flow collection
 * (`metadata: {name: web}`) takes no line comment without breaking its line: the value is patched,
 * the comment stays out.
 */
function writeComment(document: ConfigDocument, target: ResolvedPath, comment: string): void {
  try {
    document.setLineComment(target, comment);
  } catch (error) {
    if (error instanceof ConfigError && error.code === ConfigErrorCode.UnexpectedNodeKind) return;
    throw error;
  }
}

/** Predicate=false on the path itself or on any ancestor keeps it as it is. */
function protectedPath(path: string, predicate: ResourceMutation): boolean {
  const segments = path.split(".");
  for (let n = segments.length; n > 0; n--) {
    const ancestor = predicate.PathMutationMap[segments.slice(0, n).join(".")];
    if (ancestor && !ancestor.Predicate) return true;
  }
  return false;
}

function resourceText(entry: ResourceMutation, where: string): string {
  const text = entry.ResourceMutationInfo.Value;
  const value = yamlValue(text, `the resource Value ${where}`);
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new FunctionError(`invalid mutation-patch: the resource Value ${where} is not a YAML map`);
  }
  return text;
}

function yamlValue(text: string, what: string): unknown {
  try {
    return parseYaml(text) as unknown;
  } catch (error) {
    throw new FunctionError(`invalid mutation-patch: ${what} is not YAML: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** The key of a document's resource among mutations. */
export function resourceKey(type: string, nameWithoutScope: string): string {
  return mutationKey({
    ResourceType: type,
    ResourceName: nameWithoutScope,
    ResourceNameWithoutScope: nameWithoutScope,
  });
}

function scopeless(name: string): string {
  const slash = name.indexOf("/");
  return slash < 0 ? name : name.slice(slash + 1);
}
