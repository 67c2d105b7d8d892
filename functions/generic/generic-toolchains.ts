// The toolchains the generic functions (spec §5.1, "G") are registered for: every toolchain functions
// run on. Non-YAML toolchains are edited through their YAML view (src/config/native/), so a function
// that works through paths, identities and documents works on all of them unchanged; registering a
// toolchain's format (and listing it in TOOLCHAIN_TYPES) is all it takes to give it these functions.
// Kubernetes-only functions (functions/kubernetes/) keep their own `["Kubernetes/YAML"]`.
import { TOOLCHAIN_TYPES, type ToolchainType } from "../../src/engine/index.ts";

export const GENERIC_TOOLCHAINS: readonly ToolchainType[] = TOOLCHAIN_TYPES;
