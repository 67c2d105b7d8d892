// Resource identity for OpenTofu/HCL (spec §0, ConfigHub's hclkit): type, name and category are the
// block metadata the YAML view keeps under `confighub` (block_type, block_name, block_category).
// There is no scope: the name is the whole name, and two types are similar only when equal.
import { ConfigError, ConfigErrorCode } from "../../errors.ts";
import type { ResourceIdentity, ToolchainIdentity } from "../../identity/resource-identity.ts";
import { CATEGORY_FIELD, METADATA_KEY, NAME_FIELD, TYPE_FIELD } from "./hcl-view.ts";

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

export const hclIdentity: ToolchainIdentity = {
  toolchain: "OpenTofu/HCL",

  identify(value: unknown): ResourceIdentity {
    const metadata = field(value, METADATA_KEY);
    const read = (key: string): string => {
      const found = field(metadata, key);
      // An empty label (`provider "" {}`) is a name, as in ConfigHub.
      if (typeof found !== "string") {
        throw new ConfigError(
          ConfigErrorCode.Identity,
          `resource ${key === NAME_FIELD ? "name" : key === TYPE_FIELD ? "type" : "category"} is missing: no string ${METADATA_KEY}.${key}`,
        );
      }
      return found;
    };
    const type = read(TYPE_FIELD);
    const name = read(NAME_FIELD);
    return { type, name, nameWithoutScope: name, category: read(CATEGORY_FIELD) };
  },

  isClusterScoped(): boolean {
    return true;
  },

  similarTypes(a: string, b: string): boolean {
    return a === b;
  },

  namePath: `${METADATA_KEY}.${NAME_FIELD}`,
};
