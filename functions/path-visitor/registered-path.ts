// One entry of a path registry (spec §1.4, §6 "Registry dump"): where an attribute lives in resources of
// a type, what it is called, and which functions read and write it. Field names are ConfigHub's, so the
// Kubernetes registry data (listpaths.txt) is usable as is.
import type { AttributeDetails, DataType } from "../../src/engine/index.ts";

export interface RegisteredPath {
  /** Path expression; may contain patterns, bindings, `%s` holes and a `#accessor` suffix. */
  readonly Path: string;
  /** For General-registry lookups of a concrete user path: the path that constrains `Path` (§1.4). */
  readonly ResolvedPath?: string;
  readonly AttributeName: string;
  readonly DataType: DataType;
  /** Getter/setter invocations, generation template and schema description. */
  readonly Info?: AttributeDetails;
  /** Under the `*` type: the types this entry does not apply to (e.g. cluster-scoped types). */
  readonly TypeExceptions?: Readonly<Record<string, unknown>>;
  /** `Regexp` when `#name` in `Path` reads a named group of `EmbeddedAccessorConfig`. */
  readonly EmbeddedAccessorType?: string;
  readonly EmbeddedAccessorConfig?: string;
}

/** The registry type that applies to every resource type (minus TypeExceptions). */
export const ANY_RESOURCE_TYPE = "*";
