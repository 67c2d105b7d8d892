// Resource identity for AppConfig/TOML, as AppConfig/Properties has it: the name is
// `configHub.configName` (default `NoName`), the type `configHub.configSchema` (default `NoSchema`),
// both read from the `[configHub]` table (or dotted keys `configHub.configName = "..."`); no scope;
// category `AppConfig`.
import type { ToolchainIdentity } from "../../identity/resource-identity.ts";
import { appConfigIdentity, member } from "../app-config-identity.ts";

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

export const tomlIdentity: ToolchainIdentity = appConfigIdentity("AppConfig/TOML", {
  name: (value) => nonEmptyString(member(member(value, "configHub"), "configName")),
  schema: (value) => nonEmptyString(member(member(value, "configHub"), "configSchema")),
});
