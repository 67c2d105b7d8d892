// The identity of a whole-file application config (AppConfig/Properties, Env, TOML): the file is one
// resource, typed by its config schema (default `NoSchema`) and named by its config name (default
// `NoName`), with no scope and the category `AppConfig` (spec: "Identity in other toolchains").
// Each format says only where it keeps the two values.
import type { ResourceIdentity, ToolchainIdentity } from "../identity/resource-identity.ts";
import type { ToolchainType } from "../toolchain-types.ts";

export const DEFAULT_SCHEMA = "NoSchema";
export const DEFAULT_NAME = "NoName";

/** Where a format keeps the config name and schema in its view; undefined when absent or empty. */
export interface AppConfigKeys {
  name(value: unknown): string | undefined;
  schema(value: unknown): string | undefined;
}

export function appConfigIdentity(toolchain: ToolchainType, keys: AppConfigKeys): ToolchainIdentity {
  return {
    toolchain,
    identify(value: unknown): ResourceIdentity {
      const name = keys.name(value) ?? DEFAULT_NAME;
      return {
        type: keys.schema(value) ?? DEFAULT_SCHEMA,
        name,
        nameWithoutScope: name,
        category: "AppConfig",
      };
    },
    // No scope: the name is the whole name.
    isClusterScoped: () => true,
    similarTypes: (a, b) => a === b,
  };
}

/** `value[key]` of a mapping, for the formats' key readers. */
export function member(value: unknown, key: string): unknown {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}
