// Public API of the config layer: parse a Unit's multi-document YAML, read and edit it losslessly,
// identify resources, resolve path expressions, and look paths up in the path registry.
export { ConfigError, ConfigErrorCode, isConfigError, type ConfigErrorLocation } from "./errors.ts";
export { parseConfig, type ParseConfigOptions } from "./parse-config.ts";
export { ConfigDocumentSet } from "./document/config-document-set.ts";
export { ConfigDocument } from "./document/config-document.ts";
export type { ResourceIdentity, ToolchainIdentity, ToolchainType } from "./identity/resource-identity.ts";
export { kubernetesIdentity } from "./identity/kubernetes-identity.ts";
export { kubernetesClusterScopedTypes } from "./identity/kubernetes-cluster-scoped-types.ts";
export { registerToolchainIdentity, toolchainIdentity } from "./identity/toolchains.ts";
export { defaultParseLimits, type ParseLimits } from "./parse/limits.ts";

/** A scalar value that typed getters and setters accept. */
export type Scalar = string | number | boolean;
