// Resource identity for AppConfig/Env, mirroring AppConfig/Properties' `configHub.configName` and
// `configHub.configSchema` in the spelling a .env file allows: the name is the value of
// CONFIGHUB_CONFIG_NAME (default `NoName`), the type the value of CONFIGHUB_CONFIG_SCHEMA (default
// `NoSchema`); no scope; category `AppConfig`.
import type { ResourceIdentity, ToolchainIdentity } from "../../identity/resource-identity.ts";

export const ENV_NAME_KEY = "CONFIGHUB_CONFIG_NAME";
export const ENV_SCHEMA_KEY = "CONFIGHUB_CONFIG_SCHEMA";

function stringAt(value: unknown, key: string): string | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const found = (value as Record<string, unknown>)[key];
  return typeof found === "string" && found !== "" ? found : undefined;
}

export const envIdentity: ToolchainIdentity = {
  toolchain: "AppConfig/Env",
  identify(value: unknown): ResourceIdentity {
    const name = stringAt(value, ENV_NAME_KEY) ?? "NoName";
    return {
      type: stringAt(value, ENV_SCHEMA_KEY) ?? "NoSchema",
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
