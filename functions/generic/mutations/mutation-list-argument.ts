// Reads a ResourceMutationList argument (patch-mutations, reset): JSON text in ConfigHub's shape
// (spec §4.1). Fields Go would default stay defaulted (a missing Predicate is false, a missing Value
// ""), but anything of the wrong type is an error that names the argument, the entry and the field,
// instead of a crash or a silently ignored entry.
import { FunctionError } from "../../../src/engine/index.ts";
import type {
  MutationInfo,
  MutationMap,
  MutationType,
  ResourceInfo,
  ResourceMutation,
  ResourceMutationList,
} from "../../../src/engine/index.ts";

const MUTATION_TYPES: readonly MutationType[] = ["None", "Add", "Update", "Replace", "Delete"];

export function parseMutationListArgument(text: string, argument: string): ResourceMutationList {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new FunctionError(`invalid ${argument}: not JSON: ${(error as Error).message}`, { cause: error });
  }
  // Go decodes JSON null as an empty list.
  if (json === null) return [];
  if (!Array.isArray(json)) throw invalid(argument, "", "must be a list of resource mutations");
  return json.map((entry, i) => resourceMutation(entry, argument, `[${i}]`));
}

function resourceMutation(value: unknown, argument: string, at: string): ResourceMutation {
  const entry = object(value, argument, at);
  const mutation: ResourceMutation = {
    Resource: resourceInfo(entry.Resource, argument, `${at}.Resource`),
    ResourceMutationInfo: mutationInfo(entry.ResourceMutationInfo, argument, `${at}.ResourceMutationInfo`),
    PathMutationMap: mutationMap(entry.PathMutationMap, argument, `${at}.PathMutationMap`),
  };
  if (entry.Aliases !== undefined && entry.Aliases !== null) {
    mutation.Aliases = nameSet(entry.Aliases, argument, `${at}.Aliases`);
  }
  if (entry.AliasesWithoutScopes !== undefined && entry.AliasesWithoutScopes !== null) {
    mutation.AliasesWithoutScopes = nameSet(
      entry.AliasesWithoutScopes,
      argument,
      `${at}.AliasesWithoutScopes`,
    );
  }
  return mutation;
}

function resourceInfo(value: unknown, argument: string, at: string): ResourceInfo {
  const info = object(value, argument, at);
  const type = string(info.ResourceType, argument, `${at}.ResourceType`, true);
  const name = string(info.ResourceName, argument, `${at}.ResourceName`, true);
  if (type === "") throw invalid(argument, `${at}.ResourceType`, "must not be empty");
  if (name === "") throw invalid(argument, `${at}.ResourceName`, "must not be empty");
  return {
    ResourceName: name,
    ResourceNameWithoutScope: string(
      info.ResourceNameWithoutScope,
      argument,
      `${at}.ResourceNameWithoutScope`,
      false,
    ),
    ResourceType: type,
    ...(typeof info.ResourceCategory === "string" && info.ResourceCategory !== ""
      ? { ResourceCategory: info.ResourceCategory as ResourceInfo["ResourceCategory"] }
      : {}),
  };
}

function mutationInfo(value: unknown, argument: string, at: string): MutationInfo {
  const info = object(value, argument, at);
  const type = string(info.MutationType, argument, `${at}.MutationType`, true);
  if (!(MUTATION_TYPES as readonly string[]).includes(type)) {
    throw invalid(
      argument,
      `${at}.MutationType`,
      `must be one of ${MUTATION_TYPES.join(", ")}, not ${JSON.stringify(type)}`,
    );
  }
  const index = info.Index ?? 0;
  if (typeof index !== "number" || !Number.isInteger(index))
    throw invalid(argument, `${at}.Index`, "must be an integer");
  const predicate = info.Predicate ?? false;
  if (typeof predicate !== "boolean") throw invalid(argument, `${at}.Predicate`, "must be true or false");
  return {
    MutationType: type as MutationType,
    Index: index,
    Predicate: predicate,
    Value: string(info.Value, argument, `${at}.Value`, false),
  };
}

function mutationMap(value: unknown, argument: string, at: string): MutationMap {
  if (value === undefined || value === null) return {};
  const map = object(value, argument, at);
  const result: MutationMap = {};
  for (const [path, info] of Object.entries(map)) {
    if (path === "") throw invalid(argument, at, "has an empty path");
    result[path] = mutationInfo(info, argument, `${at}[${JSON.stringify(path)}]`);
  }
  return result;
}

function nameSet(value: unknown, argument: string, at: string): Record<string, Record<string, never>> {
  return Object.fromEntries(Object.keys(object(value, argument, at)).map((name) => [name, {}]));
}

function object(value: unknown, argument: string, at: string): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw invalid(argument, at, "must be an object");
  return value as Record<string, unknown>;
}

function string(value: unknown, argument: string, at: string, required: boolean): string {
  if (value === undefined || value === null) {
    if (required) throw invalid(argument, at, "is missing");
    return "";
  }
  if (typeof value !== "string") throw invalid(argument, at, "must be a string");
  return value;
}

function invalid(argument: string, at: string, problem: string): FunctionError {
  return new FunctionError(`invalid ${argument}: ${at === "" ? "the value" : at} ${problem}`);
}
