// The toolchains the generic functions (spec §5.1, "G") are registered for: every toolchain functions
// run on. Non-YAML toolchains are edited through their YAML view (src/config/native/), so a function
// that works through paths, identities and documents works on all of them unchanged; registering a
// toolchain's format (and listing it in TOOLCHAIN_TYPES) is all it takes to give it these functions.
// Kubernetes-only functions (functions/kubernetes/) keep their own `["Kubernetes/YAML"]`.
import { TOOLCHAIN_TYPES, type ToolchainType } from "../../src/engine/index.ts";

export const GENERIC_TOOLCHAINS: readonly ToolchainType[] = TOOLCHAIN_TYPES;

/** How a toolchain spells a resource type, for parameter descriptions (spec §5 "Toolchains"). */
const TYPE_FORMATS: Readonly<Record<string, string>> = {
  "Kubernetes/YAML": "[Group/]Version/Kind",
  "AppConfig/Properties": "Schema",
  "AppConfig/Env": "Schema",
  "AppConfig/TOML": "Schema",
  "OpenTofu/HCL": "First HCL Label",
};

export function typeFormat(toolchain: ToolchainType): string {
  return TYPE_FORMATS[toolchain] ?? "type";
}

/** A signature whose descriptions name the toolchain's type format: `signature: byToolchain((types) => ({...}))`. */
export function byToolchain<T>(declare: (types: string) => T): (toolchain: ToolchainType) => T {
  return (toolchain) => declare(typeFormat(toolchain));
}
