// Resource identity for AppConfig/TOML, as AppConfig/Properties has it: the name is
// `configHub.configName` (default `NoName`), the type `configHub.configSchema` (default `NoSchema`),
// both read from the `[configHub]` table (or dotted keys `configHub.configName = "..."`); no scope;
// category `AppConfig`.
import type { ResourceIdentity, ToolchainIdentity } from "../../identity/resource-identity.ts";

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

export const tomlIdentity: ToolchainIdentity = {
  toolchain: "AppConfig/TOML",
  identify(value: unknown): ResourceIdentity {
    const configHub = field(value, "configHub");
    const name = nonEmptyString(field(configHub, "configName")) ?? "NoName";
    return {
      type: nonEmptyString(field(configHub, "configSchema")) ?? "NoSchema",
      name,
      nameWithoutScope: name,
      category: "AppConfig",
    };
  },
  isClusterScoped(): boolean {
    return false;
  },
  similarTypes(a: string, b: string): boolean {
    return a === b;
  },
};
