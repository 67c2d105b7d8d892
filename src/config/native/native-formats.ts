// Which NativeFormat serves which toolchain: the one list of non-YAML toolchains the config layer can
// read and write. A toolchain listed here parses through its format's YAML view (parseConfig), is
// written back in its own syntax (ConfigDocumentSet.toString) and takes its identity from the format
// (identity/toolchains.ts). Kubernetes/YAML is not here: its Unit text is the YAML itself.
//
// A new format adds one line to `formats` (and its toolchain to TOOLCHAIN_TYPES, src/config/toolchain-types.ts).
import { envFormat } from "./env/env-format.ts";
import type { NativeFormat } from "./native-format.ts";
import { tomlFormat } from "./toml/toml-format.ts";
import type { ToolchainType } from "../toolchain-types.ts";
import { hclFormat } from "./hcl/hcl-format.ts";
import { propertiesFormat } from "./properties/properties-format.ts";

const formats: readonly NativeFormat[] = [propertiesFormat, hclFormat, envFormat, tomlFormat];

const byToolchain: ReadonlyMap<string, NativeFormat> = new Map(formats.map((f) => [f.toolchain, f]));

/** The format of a non-YAML toolchain, or undefined for Kubernetes/YAML and unknown toolchains. */
export function nativeFormat(toolchain: ToolchainType | (string & {})): NativeFormat | undefined {
  return byToolchain.get(toolchain);
}

/** Every registered non-YAML format, in registration order. */
export function nativeFormats(): readonly NativeFormat[] {
  return formats;
}
