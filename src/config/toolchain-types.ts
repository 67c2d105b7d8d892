// The toolchain types, in one place for every layer: the ones ConfigHub knows, any of which a Unit
// may hold (V26, in the order its API lists them), and the ones confn runs functions on (the
// engine's registry, invoke requests and saved Invocations/Triggers accept only these).

/** Every ConfigHub toolchain type: what a Unit's ToolchainType may be. */
export const UNIT_TOOLCHAIN_TYPES = [
  "Kubernetes/YAML",
  "OpenTofu/HCL",
  "AppConfig/Properties",
  "AppConfig/YAML",
  "AppConfig/TOML",
  "AppConfig/INI",
  "AppConfig/JSON",
  "AppConfig/Env",
  "AppConfig/Text",
  "ConfigHub/YAML",
] as const;

export type UnitToolchainType = (typeof UNIT_TOOLCHAIN_TYPES)[number];

/**
 * The toolchains functions run on, in the engine's canonical order (listings, messages): exactly the
 * ones that work, i.e. Kubernetes/YAML and every toolchain with a NativeFormat registered in
 * native/native-formats.ts (a test checks the two lists agree). A new format adds its toolchain here
 * in the same change as its native-formats.ts line: OpenTofu/HCL (after AppConfig/Properties, as
 * ConfigHub lists them), then AppConfig/Env and AppConfig/TOML.
 */
export const TOOLCHAIN_TYPES = [
  "Kubernetes/YAML",
  "AppConfig/Properties",
  "OpenTofu/HCL",
  "AppConfig/Env",
  "AppConfig/TOML",
] as const satisfies readonly UnitToolchainType[];

/** A toolchain functions run on. */
export type ToolchainType = (typeof TOOLCHAIN_TYPES)[number];

/** The toolchain of data whose toolchain nobody named (ConfigHub's default too). */
export const DEFAULT_TOOLCHAIN: ToolchainType = "Kubernetes/YAML";

/** The one "does confn run functions on this toolchain" check. */
export function isToolchainType(value: string): value is ToolchainType {
  return (TOOLCHAIN_TYPES as readonly string[]).includes(value);
}
