// Public API of the config layer: parse a Unit's multi-document YAML, read and edit it losslessly,
// identify resources, resolve path expressions, and fill the `%s` holes of registered paths (the path
// registry itself is data of the function library: functions/path-visitor/).
export { ConfigError, ConfigErrorCode, isConfigError, type ConfigErrorLocation } from "./errors.ts";
export { parseConfig, type ParseConfigOptions } from "./parse-config.ts";
export { ConfigDocumentSet } from "./document/config-document-set.ts";
export { ConfigDocument, type AccessorOptions, type ResolveOptions } from "./document/config-document.ts";
export type { NodeKind, NodeRef, ScalarType } from "./document/node-ref.ts";
export {
  describeResource,
  resourceDisplayName,
  type ResourceIdentity,
  type ToolchainIdentity,
} from "./identity/resource-identity.ts";
export {
  DEFAULT_TOOLCHAIN,
  isToolchainType,
  TOOLCHAIN_TYPES,
  UNIT_TOOLCHAIN_TYPES,
  type ToolchainType,
  type UnitToolchainType,
} from "./toolchain-types.ts";
export { kubernetesIdentity } from "./identity/kubernetes-identity.ts";
export { kubernetesClusterScopedTypes } from "./identity/kubernetes-cluster-scoped-types.ts";
export { toolchainIdentity } from "./identity/toolchains.ts";
export {
  UNIT_DATA_MAX_BYTES,
  UNIT_DATA_MAX_DEPTH,
  base64DecodedLength,
  base64Length,
  defaultParseLimits,
  type ParseLimits,
} from "./parse/limits.ts";
export { checkWithinLimits } from "./parse/tokenise.ts";
export type { Scalar } from "./edit/scalar-style.ts";
export type { Binding, ResolvedPath } from "./path/resolved-path.ts";
export {
  pathNodes,
  visitSegment,
  isPlainSegment,
  type PathExpression,
  type PathSegment,
  type PathSegmentVisitor,
  type KeySegment,
  type WildcardSegment,
  type WildcardFieldSegment,
  type WildcardKeySegment,
  type MatchSegment,
  type BoundKeySegment,
  type SplitSegment,
} from "./path/ast.ts";
export { parsePath, parsePathPrefix } from "./path/parse-path.ts";
export { formatKey, formatPath, formatSegments } from "./path/format-path.ts";
export { pointerSegments, pointerTokens } from "./path/json-pointer.ts";
export { RegexpAccessor, regexpAccessor, type EmbeddedAccessor } from "./accessor/embedded-accessor.ts";
export {
  builtinAccessor,
  hostnameAccessor,
  hostnamePattern,
  imageAccessor,
  imagePattern,
} from "./accessor/builtin-accessors.ts";
export { countHoles, escapePathArgument, fillPathTemplate } from "./path/path-template.ts";
