// The path registry (spec §1.4): attribute name -> resource type (or `*`) -> lookup key -> PathInfo.
// Loaded from data, validated once, frozen; lookups follow ConfigHub: the resource's own type first,
// then `*` unless the type is one of the entry's TypeExceptions.
import { regexpAccessor, type EmbeddedAccessor } from "../accessor/embedded-accessor.ts";
import { deepFreeze } from "../document/deep-freeze.ts";
import { ConfigError, ConfigErrorCode } from "../errors.ts";
import { formatSegments } from "../path/format-path.ts";
import { parsePath } from "../path/parse-path.ts";
import { lookupKey } from "./lookup-key.ts";
import { ANY_TYPE, GENERAL_ATTRIBUTE, type PathInfo, type PathRegistryData } from "./path-info.ts";

/** A General-registry match for a user path (spec §1.4 "Generic path functions"). */
export interface RegistryMatch {
  readonly info: PathInfo;
  /** The path to resolve: the user's own path if it has patterns, else the registered Path. */
  readonly path: string;
  /** For a concrete user path: the user path, laid over `path` as a resolution constraint. */
  readonly constraint?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function invalid(where: string, problem: string): ConfigError {
  return new ConfigError(ConfigErrorCode.Registry, `invalid path registry data at ${where}: ${problem}`);
}

function checkInfo(info: unknown, where: string): PathInfo {
  if (!isRecord(info)) throw invalid(where, "an entry must be an object");
  for (const field of ["Path", "AttributeName", "DataType"] as const) {
    if (typeof info[field] !== "string" || info[field] === "")
      throw invalid(where, `${field} must be a non-empty string`);
  }
  for (const field of ["ResolvedPath", "EmbeddedAccessorType", "EmbeddedAccessorConfig"] as const) {
    if (info[field] !== undefined && typeof info[field] !== "string")
      throw invalid(where, `${field} must be a string`);
  }
  if (info.Info !== undefined && !isRecord(info.Info)) throw invalid(where, "Info must be an object");
  if (info.TypeExceptions !== undefined && !isRecord(info.TypeExceptions)) {
    throw invalid(where, "TypeExceptions must be an object keyed by resource type");
  }
  if (info.EmbeddedAccessorType !== undefined) {
    if (info.EmbeddedAccessorType !== "Regexp") {
      throw invalid(
        where,
        `unknown EmbeddedAccessorType ${JSON.stringify(info.EmbeddedAccessorType)} (only Regexp)`,
      );
    }
    if (typeof info.EmbeddedAccessorConfig !== "string")
      throw invalid(where, "a Regexp accessor needs EmbeddedAccessorConfig");
    regexpAccessor(info.EmbeddedAccessorConfig);
  }
  return info as unknown as PathInfo;
}

function appliesTo(info: PathInfo, resourceType: string): boolean {
  return info.TypeExceptions === undefined || !Object.hasOwn(info.TypeExceptions, resourceType);
}

export class PathRegistry {
  readonly #data: PathRegistryData;

  private constructor(data: PathRegistryData) {
    this.#data = data;
  }

  /**
   * Builds a registry from data in the registry-dump shape (spec §6).
   * @throws ConfigError `registry` naming the first malformed entry.
   */
  static fromData(data: unknown): PathRegistry {
    if (!isRecord(data)) throw invalid("the top level", "expected an object keyed by attribute name");
    const copy: Record<string, Record<string, Record<string, PathInfo>>> = {};
    for (const [attribute, types] of Object.entries(data)) {
      if (!isRecord(types)) throw invalid(attribute, "expected an object keyed by resource type");
      copy[attribute] = {};
      for (const [type, entries] of Object.entries(types)) {
        if (!isRecord(entries)) throw invalid(`${attribute} / ${type}`, "expected an object keyed by path");
        copy[attribute][type] = {};
        for (const [key, info] of Object.entries(entries)) {
          copy[attribute][type][key] = structuredClone(checkInfo(info, `${attribute} / ${type} / ${key}`));
        }
      }
    }
    return new PathRegistry(deepFreeze(copy));
  }

  /** The attribute names, in data order. */
  attributeNames(): string[] {
    return Object.keys(this.#data);
  }

  /** The resource types (and `*`) that have entries for an attribute. */
  resourceTypes(attributeName: string): string[] {
    return Object.keys(this.#data[attributeName] ?? {});
  }

  /**
   * The entries of an attribute that apply to a resource type: the type's own entries, then the
   * `*` entries whose TypeExceptions do not list the type.
   */
  pathsFor(attributeName: string, resourceType: string): PathInfo[] {
    const byType = this.#data[attributeName];
    if (!byType) return [];
    const own = resourceType === ANY_TYPE ? [] : Object.values(byType[resourceType] ?? {});
    const any = Object.values(byType[ANY_TYPE] ?? {}).filter((info) => appliesTo(info, resourceType));
    return [...own, ...any];
  }

  /** The entry stored under exactly this key, for the type or else `*` (respecting TypeExceptions). */
  entry(attributeName: string, resourceType: string, key: string): PathInfo | undefined {
    const byType = this.#data[attributeName];
    const own = byType?.[resourceType]?.[key];
    if (own) return own;
    const any = byType?.[ANY_TYPE]?.[key];
    return any && appliesTo(any, resourceType) ? any : undefined;
  }

  /**
   * Looks a user path up in an attribute's entries by its lookup key (spec §1.4): pattern segments
   * and indices count as `*`. A user path with patterns is resolved as given; a concrete one keeps
   * the registered Path (with its bindings) and becomes its constraint.
   */
  lookup(
    resourceType: string,
    userPath: string,
    attributeName = GENERAL_ATTRIBUTE,
  ): RegistryMatch | undefined {
    const info = this.entry(attributeName, resourceType, lookupKey(userPath));
    if (!info) return undefined;
    const segments = parsePath(userPath).segments;
    const keys = segments.flatMap((s) => (s.kind === "KeySegment" ? [s.key] : []));
    if (keys.length !== segments.length) return { info, path: userPath };
    return { info, path: info.Path, constraint: formatSegments(keys) };
  }

  /** The accessor an entry registers for its `#name`, if any. */
  accessorFor(info: PathInfo): EmbeddedAccessor | undefined {
    return info.EmbeddedAccessorType === "Regexp" && info.EmbeddedAccessorConfig !== undefined
      ? regexpAccessor(info.EmbeddedAccessorConfig)
      : undefined;
  }

  /** The registry in its data shape (ConfigHub's registry dump), frozen. */
  toJSON(): PathRegistryData {
    return this.#data;
  }
}
