// Looking paths up in a path registry (spec §1.4): attribute name -> resource type (or `*`) -> key ->
// entry. Entries under `*` apply to every type except their TypeExceptions.
import { fillPathTemplate } from "../../src/config/index.ts";
import { ANY_RESOURCE_TYPE, type RegisteredPath } from "./registered-path.ts";
import type { PathTarget, PathTargets } from "./visit-paths.ts";

/** A whole registry, in the shape ConfigHub dumps it (`listpaths`). */
export type PathRegistryData = Readonly<
  Record<string, Readonly<Record<string, Readonly<Record<string, RegisteredPath>>>>>
>;

/** Whether an entry (registered under `*`) applies to `resourceType`. */
export function appliesTo(entry: RegisteredPath, resourceType: string): boolean {
  return !entry.TypeExceptions || !Object.hasOwn(entry.TypeExceptions, resourceType);
}

/**
 * The entries of `attributeName` that apply to `resourceType`: the type's own entries, then the `*`
 * entries it is not excepted from (a key registered for the type itself wins over the same key
 * under `*`).
 */
export function registeredPaths(
  registry: PathRegistryData,
  attributeName: string,
  resourceType: string,
): RegisteredPath[] {
  const byType = Object.hasOwn(registry, attributeName) ? registry[attributeName]! : {};
  const own =
    resourceType !== ANY_RESOURCE_TYPE && Object.hasOwn(byType, resourceType) ? byType[resourceType]! : {};
  const any = Object.hasOwn(byType, ANY_RESOURCE_TYPE) ? byType[ANY_RESOURCE_TYPE]! : {};
  const entries = Object.entries(own).map(([, entry]) => entry);
  for (const [key, entry] of Object.entries(any)) {
    if (!Object.hasOwn(own, key) && appliesTo(entry, resourceType)) entries.push(entry);
  }
  return entries;
}

/**
 * The entry registered under `key` for `resourceType`, else under `*` (unless the type is excepted):
 * how the General registry is searched for one path (spec §1.4).
 */
export function registeredPath(
  registry: PathRegistryData,
  attributeName: string,
  resourceType: string,
  key: string,
): RegisteredPath | undefined {
  const byType = Object.hasOwn(registry, attributeName) ? registry[attributeName]! : {};
  const own = Object.hasOwn(byType, resourceType) ? byType[resourceType]! : {};
  if (Object.hasOwn(own, key)) return own[key];
  const any = Object.hasOwn(byType, ANY_RESOURCE_TYPE) ? byType[ANY_RESOURCE_TYPE]! : {};
  const entry = Object.hasOwn(any, key) ? any[key] : undefined;
  return entry && appliesTo(entry, resourceType) ? entry : undefined;
}

/** The resource types an attribute is registered for (`*` included), sorted: AffectedResourceTypes. */
export function registeredResourceTypes(registry: PathRegistryData, attributeName: string): string[] {
  const byType = Object.hasOwn(registry, attributeName) ? registry[attributeName]! : {};
  return Object.keys(byType).sort();
}

export interface RegistryTargetOptions {
  /** Fill the `%s` holes of each registered path, in order (spec §5.3: P1…Pn−1). */
  readonly parameters?: readonly string[];
  /** Upsert mode for all paths, or per entry (e.g. only `metadata.namespace` for set-namespace). */
  readonly upsert?: boolean | ((entry: RegisteredPath) => boolean);
}

/** The paths of `attributeName` to visit in each resource, `%s` holes filled from the parameters. */
export function registryTargets(
  registry: PathRegistryData,
  attributeName: string,
  options: RegistryTargetOptions = {},
): PathTargets {
  const parameters = options.parameters ?? [];
  const upsert = options.upsert ?? false;
  // A Unit usually holds several resources of one type: look each type up and fill its paths once.
  const byType = new Map<string, readonly PathTarget[]>();
  return (identity) => {
    let targets = byType.get(identity.type);
    if (!targets) {
      targets = registeredPaths(registry, attributeName, identity.type).map((entry): PathTarget => ({
        entry,
        path: fillPathTemplate(entry.Path, parameters),
        upsert: typeof upsert === "function" ? upsert(entry) : upsert,
      }));
      byType.set(identity.type, targets);
    }
    return targets;
  };
}
