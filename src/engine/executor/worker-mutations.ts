// The Mutations a bridge worker computed for one batch, as the executor may take them in place of its
// own diff (RemoteExecutor.takesWorkerMutations): the worker's ResourceMutationList is data from a
// process we do not control, so every entry is checked for the fields the response and a later merge
// read, rebuilt with those fields only, and its Index values (the worker's request positions) mapped
// to the Unit's steps. Anything of another shape is a problem named for the malformed-response error.
import type {
  MutationInfo,
  MutationMap,
  ResourceInfo,
  ResourceMutation,
  ResourceMutationList,
} from "../types.ts";

/** What the check needs of each function the worker was sent, in request order. */
export interface BatchFunction {
  /** The step's index in the Unit's run (what Index values become). */
  readonly index: number;
  readonly mutating: boolean;
}

const MUTATION_TYPES = new Set(["None", "Add", "Update", "Replace", "Delete"]);
const CATEGORIES = new Set(["Resource", "AppConfig", "DynamicData", "Invalid"]);

class Malformed extends Error {}

/**
 * The worker's Mutations with Index mapped to the Unit's steps; an empty list when it sent none
 * (absent, null or []); a string naming the problem when they are not a ResourceMutationList.
 */
export function workerMutations(
  value: unknown,
  batch: readonly BatchFunction[],
): ResourceMutationList | string {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return "Mutations is not a list";
  try {
    return value.map((entry, i) => resourceMutation(entry, `Mutations[${i}]`, batch));
  } catch (error) {
    if (error instanceof Malformed) return error.message;
    throw error;
  }
}

function resourceMutation(entry: unknown, at: string, batch: readonly BatchFunction[]): ResourceMutation {
  const m = record(entry, at);
  const mutation: ResourceMutation = {
    Resource: resourceInfo(m.Resource, `${at}.Resource`),
    ResourceMutationInfo: mutationInfo(m.ResourceMutationInfo, `${at}.ResourceMutationInfo`, batch),
    PathMutationMap: pathMutations(m.PathMutationMap, `${at}.PathMutationMap`, batch),
  };
  const aliases = aliasMap(m.Aliases, `${at}.Aliases`);
  if (aliases) mutation.Aliases = aliases;
  const scopeless = aliasMap(m.AliasesWithoutScopes, `${at}.AliasesWithoutScopes`);
  if (scopeless) mutation.AliasesWithoutScopes = scopeless;
  return mutation;
}

function resourceInfo(value: unknown, at: string): ResourceInfo {
  const r = record(value, at);
  const info: ResourceInfo = {
    ResourceName: text(r.ResourceName, `${at}.ResourceName`),
    ResourceNameWithoutScope: text(r.ResourceNameWithoutScope, `${at}.ResourceNameWithoutScope`),
    ResourceType: text(r.ResourceType, `${at}.ResourceType`),
  };
  // Go leaves an unset category empty.
  const category = r.ResourceCategory;
  if (category !== undefined && category !== null && category !== "") {
    if (typeof category !== "string" || !CATEGORIES.has(category)) {
      throw new Malformed(`${at}.ResourceCategory is not a resource category`);
    }
    info.ResourceCategory = category as ResourceInfo["ResourceCategory"];
  }
  return info;
}

function mutationInfo(value: unknown, at: string, batch: readonly BatchFunction[]): MutationInfo {
  const m = record(value, at);
  const type = m.MutationType;
  if (typeof type !== "string" || !MUTATION_TYPES.has(type)) {
    throw new Malformed(`${at}.MutationType is not one of None, Add, Update, Replace, Delete`);
  }
  const local = m.Index;
  const fn = Number.isInteger(local) ? batch[local as number] : undefined;
  if (!fn) throw new Malformed(`${at}.Index is not the position of a function in the request`);
  // A change must be attributed to a function allowed to make it.
  if (type !== "None" && !fn.mutating) {
    throw new Malformed(`${at}.Index names a function that is not mutating`);
  }
  if (typeof m.Predicate !== "boolean") throw new Malformed(`${at}.Predicate is not a boolean`);
  return {
    MutationType: type as MutationInfo["MutationType"],
    Index: fn.index,
    Predicate: m.Predicate,
    Value: text(m.Value, `${at}.Value`),
  };
}

function pathMutations(value: unknown, at: string, batch: readonly BatchFunction[]): MutationMap {
  // Go's nil map.
  if (value === undefined || value === null) return {};
  // fromEntries defines own properties, so a path named __proto__ stays a path.
  return Object.fromEntries(
    Object.entries(record(value, at)).map(([path, info]) => [
      path,
      mutationInfo(info, `${at}[${JSON.stringify(path)}]`, batch),
    ]),
  );
}

function aliasMap(value: unknown, at: string): Record<string, Record<string, never>> | undefined {
  if (value === undefined || value === null) return undefined;
  return Object.fromEntries(
    Object.entries(record(value, at)).map(([name, entry]) => {
      if (entry !== null && (typeof entry !== "object" || Array.isArray(entry))) {
        throw new Malformed(`${at}[${JSON.stringify(name)}] is not an object`);
      }
      return [name, {}];
    }),
  );
}

function record(value: unknown, at: string): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new Malformed(`${at} is not an object`);
  }
  return value as Record<string, unknown>;
}

function text(value: unknown, at: string): string {
  if (typeof value !== "string") throw new Malformed(`${at} is not a string`);
  return value;
}
