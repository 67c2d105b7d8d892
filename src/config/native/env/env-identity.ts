// Resource identity for AppConfig/Env, mirroring AppConfig/Properties' `configHub.configName` and
// `configHub.configSchema` in the spelling a .env file allows: the name is the value of
// CONFIGHUB_CONFIG_NAME (default `NoName`), the type the value of CONFIGHUB_CONFIG_SCHEMA (default
// `NoSchema`); no scope; category `AppConfig`.
import type { ToolchainIdentity } from "../../identity/resource-identity.ts";
import { appConfigIdentity, member } from "../app-config-identity.ts";

export const ENV_NAME_KEY = "CONFIGHUB_CONFIG_NAME";
export const ENV_SCHEMA_KEY = "CONFIGHUB_CONFIG_SCHEMA";

function stringAt(value: unknown, key: string): string | undefined {
  const found = member(value, key);
  return typeof found === "string" && found !== "" ? found : undefined;
}

export const envIdentity: ToolchainIdentity = appConfigIdentity("AppConfig/Env", {
  name: (value) => stringAt(value, ENV_NAME_KEY),
  schema: (value) => stringAt(value, ENV_SCHEMA_KEY),
});
