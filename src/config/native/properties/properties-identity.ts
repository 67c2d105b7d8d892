// AppConfig/Properties resource identity (spec §0 "Identity in other toolchains"): the whole file is
// one resource, typed by `configHub.configSchema` (default `NoSchema`) and named by
// `configHub.configName` (default `NoName`), with no scope and the category `AppConfig`.
import type { ToolchainIdentity } from "../../identity/resource-identity.ts";
import { appConfigIdentity } from "../app-config-identity.ts";

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** `configHub.<key>` of the view: nested, or one dotted key when `configHub` itself holds a value. */
function configHubValue(value: unknown, key: string): string | undefined {
  if (!isMapping(value)) return undefined;
  const hub = value["configHub"];
  const found = isMapping(hub) && key in hub ? hub[key] : value[`configHub.${key}`];
  if (typeof found === "string") return found === "" ? undefined : found;
  if (typeof found === "number" || typeof found === "boolean") return String(found);
  return undefined;
}

export const propertiesIdentity: ToolchainIdentity = appConfigIdentity("AppConfig/Properties", {
  name: (value) => configHubValue(value, "configName"),
  schema: (value) => configHubValue(value, "configSchema"),
});
