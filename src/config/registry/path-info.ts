// Path registry entries, with ConfigHub's field names (spec §1.4, §6 "Registry dump"), so registry
// data such as ConfigHub's `listpaths` output loads as is and dumps back in the same shape.

export interface RegistryArgument {
  ParameterName?: string;
  Value: unknown;
}

export interface RegistryInvocation {
  FunctionName: string;
  Arguments: RegistryArgument[] | null;
}

export interface PathInfoDetails {
  GetterInvocation?: RegistryInvocation;
  SetterInvocations?: RegistryInvocation[];
  GenerationTemplate?: string;
  Description?: string;
}

/** One registered path: where an attribute lives in resources of a type. */
export interface PathInfo {
  /** Path expression: may hold patterns, bindings, `%s` holes and a `#accessor` suffix. */
  readonly Path: string;
  readonly ResolvedPath?: string;
  readonly AttributeName: string;
  readonly DataType: string;
  readonly Info?: PathInfoDetails;
  /** Under `*`: the resource types the entry does not apply to. */
  readonly TypeExceptions?: Readonly<Record<string, unknown>>;
  /** `Regexp` when `#name` reads the named group `name` of `EmbeddedAccessorConfig`. */
  readonly EmbeddedAccessorType?: string;
  readonly EmbeddedAccessorConfig?: string;
}

/** attribute name -> resource type (or `*`) -> lookup key -> entry. */
export type PathRegistryData = Readonly<
  Record<string, Readonly<Record<string, Readonly<Record<string, PathInfo>>>>>
>;

/** The resource type whose entries apply to every type except their TypeExceptions. */
export const ANY_TYPE = "*";

/** The registry of generic path functions and where-filter (ConfigHub's "General" registry). */
export const GENERAL_ATTRIBUTE = "attribute-value";
