// What a resource is, independent of the toolchain that stores it. Each toolchain (Kubernetes/YAML
// now, AppConfig/Properties later) supplies a ToolchainIdentity that reads these from a document's
// plain value.

import type { ToolchainType } from "../toolchain-types.ts";

/** The identity of one resource (one document), as ConfigHub reports it. */
export interface ResourceIdentity {
  /** Resource type, e.g. `apps/v1/Deployment`. */
  readonly type: string;
  /** Scoped name, e.g. `default/web` (Kubernetes: `namespace/name`, `/name` without a namespace). */
  readonly name: string;
  /** The name without its scope, e.g. `web`. */
  readonly nameWithoutScope: string;
  /** Resource category, e.g. `Resource` (Kubernetes) or `AppConfig` (Properties). */
  readonly category: string;
}

/** Per-toolchain rules for identifying resources. */
export interface ToolchainIdentity {
  /** The toolchain this identity belongs to. */
  readonly toolchain: ToolchainType;
  /**
   * Identity of a document from its plain value (as returned by `ConfigDocument.toJS()`).
   * Throws a ConfigError with code `IDENTITY` when the type or the name is missing.
   */
  identify(value: unknown): ResourceIdentity;
  /** True for types whose resources have no scope (e.g. Kubernetes `v1/Namespace`). */
  isClusterScoped(type: string): boolean;
  /** True when two types describe interchangeable resources (used when computing mutations). */
  similarTypes(a: string, b: string): boolean;
  /**
   * The path of the scope-less name in a document, where a function that renames a resource writes
   * (ConfigHub's ScopelessResourceNamePath). Default `metadata.name`.
   */
  readonly namePath?: string;
}

/**
 * How messages name a resource: `apps/v1/Deployment web`, `v1/Service prod/web`. A resource without a
 * scope is shown by its bare name, not ConfigHub's `/web` (ResourceName keeps that form in outputs).
 */
export function describeResource(identity: ResourceIdentity): string {
  return `${identity.type} ${resourceDisplayName(identity)}`;
}

/** The name messages show: `prod/web`, or `web` for a resource without a scope (not `/web`). */
export function resourceDisplayName(identity: ResourceIdentity): string {
  return identity.name === `/${identity.nameWithoutScope}` ? identity.nameWithoutScope : identity.name;
}
