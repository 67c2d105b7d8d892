// Wire types of the function engine, spelled exactly as ConfigHub's JSON (PascalCase keys, Go field
// order). Sources: ../shared/spec/functions.md §6 and the schemas in
// ../shared/reference/confighub-openapi-functions.json. Byte fields (ConfigData, Output, Outputs values)
// travel base64-encoded; IDs are UUID strings with the nil UUID meaning "unset".

import type { ToolchainType } from "../config/index.ts";

/** Configuration format and family of the data a function runs on: the config layer's one list. */
export { DEFAULT_TOOLCHAIN, isToolchainType, TOOLCHAIN_TYPES, type ToolchainType } from "../config/index.ts";

/** The UUID Go writes for an unset ID. */
export const NIL_UUID = "00000000-0000-0000-0000-000000000000";

/**
 * Data type of a parameter or attribute. Only `int` and `bool` change how arguments are validated and
 * cast; every other type travels as a string.
 */
export type DataType =
  | ""
  | "string"
  | "int"
  | "bool"
  | "enum"
  | "uuid"
  | "time"
  | "AttributeValueList"
  | "PatchMap"
  | "ResourceMutationList"
  | "ResourceList"
  | "JSON"
  | "YAML"
  | "Properties"
  | "TOML"
  | "INI"
  | "Env"
  | "HCL"
  | "CEL";

/** Type of the JSON a function returns as its output. */
export type OutputType =
  | "ValidationResult"
  | "ValidationResultList"
  | "AttributeValueList"
  | "ResourceInfoList"
  | "ResourceList"
  | "PatchMap"
  | "JSON"
  | "YAML"
  | "Opaque"
  | "ResourceMutationList";

/** Output types whose values are JSON arrays that concatenate when several functions produce them. */
export const LIST_OUTPUT_TYPES: ReadonlySet<OutputType> = new Set<OutputType>([
  "ValidationResultList",
  "AttributeValueList",
  "ResourceInfoList",
  "ResourceList",
  "ResourceMutationList",
]);

export type FunctionType = "PathVisitor" | "Custom";

export type ResourceCategory = "Resource" | "AppConfig" | "DynamicData" | "Invalid";

// ---------------------------------------------------------------------------------------------------
// Signatures

export interface FunctionParameter {
  ParameterName: string;
  Description: string;
  Required: boolean;
  DataType: DataType;
  Example?: string;
  /** RE2 syntax; confn matches it against the whole value (design §9). */
  Regexp?: string;
  Min?: number;
  Max?: number;
  EnumValues?: string[];
}

export interface FunctionOutput {
  ResultName: string;
  Description: string;
  OutputType: OutputType;
}

export interface FunctionSignature {
  FunctionName: string;
  Parameters: FunctionParameter[];
  RequiredParameters: number;
  VarArgs: boolean;
  OutputInfo: FunctionOutput | null;
  Mutating: boolean;
  Validating: boolean;
  Hermetic: boolean;
  Idempotent: boolean;
  Description: string;
  FunctionType: FunctionType;
  AttributeName?: string;
  AffectedResourceTypes?: string[];
  /** V26: the toolchain the signature is registered under. */
  ToolchainType?: ToolchainType;
  /** confn extension: runs in the final-mutating phase of saved invocations/triggers (design §5). */
  FinalMutating?: boolean;
}

/** `GET /function` and `confn function list --local`: toolchain first, then function name. */
export type FunctionSignatureMap = Partial<Record<ToolchainType, Record<string, FunctionSignature>>>;

// ---------------------------------------------------------------------------------------------------
// Invocations

export type ArgumentValue = string | number | boolean;

export interface FunctionArgument {
  ParameterName?: string;
  Value: ArgumentValue;
  /** V26; accepted and passed through, not interpreted by the engine. */
  Evaluator?: string;
}

export interface FunctionInvocation {
  FunctionName: string;
  Arguments: FunctionArgument[] | null;
  /** V26; accepted and passed through, not interpreted by the engine. */
  WhereResource?: string;
}

export type FunctionInvocationList = FunctionInvocation[];

/** Metadata about the Unit a sequence of functions runs on (Go `FunctionContext`, flattened on the wire). */
export interface FunctionContext {
  ToolchainType: ToolchainType;
  UnitDisplayName: string;
  UnitSlug: string;
  UnitID: string;
  UnitLabels: Record<string, string> | null;
  UnitAnnotations: Record<string, string> | null;
  SpaceID: string;
  SpaceSlug: string;
  OrganizationID: string;
  TargetID: string;
  BridgeWorkerID: string;
  RevisionID: string;
  RevisionNum: number;
  New: boolean;
  /** CRC-32/IEEE of the previous data, as a signed int32. */
  PreviousContentHash: number;
  ApprovedBy: string[] | null;
}

/** The worker protocol's request: the flattened context plus data, options and invocations. */
export interface FunctionInvocationRequest extends FunctionContext {
  ConfigData: string;
  LiveState: string | null;
  CastStringArgsToScalars: boolean;
  NumFilters: number;
  StopOnError: boolean;
  CombineValidationResults: boolean;
  FunctionInvocations: FunctionInvocationList | null;
}

/**
 * One Unit's result. Carries both generations: V26 `Outputs` (a map from OutputType to base64 JSON) and
 * V25 `Output`/`OutputType` (the first output type produced), so old clients and workers keep working.
 */
export interface FunctionInvocationResponse {
  OrganizationID: string;
  SpaceID: string;
  UnitID: string;
  RevisionID: string;
  UnitSlug: string;
  SpaceSlug: string;
  /** base64 */
  ConfigData: string;
  /** base64 of JSON, or null when no function produced output. */
  Output: string | null;
  OutputType: OutputType | "";
  /** OutputType -> base64 of JSON. */
  Outputs: Partial<Record<OutputType, string>>;
  Mutations: ResourceMutationList;
  Mutators: number[];
  HasNewMutations: boolean;
  Success: boolean;
  ErrorMessages: string[];
}

// ---------------------------------------------------------------------------------------------------
// Outputs

export interface ResourceInfo {
  ResourceName: string;
  ResourceNameWithoutScope: string;
  ResourceType: string;
  ResourceCategory?: ResourceCategory;
}

export type ResourceInfoList = ResourceInfo[];

export interface Resource extends ResourceInfo {
  ResourceBody?: string;
}

export type ResourceList = Resource[];

export interface AttributeDetails {
  GetterInvocation?: FunctionInvocation;
  SetterInvocations?: FunctionInvocation[];
  GenerationTemplate?: string;
  Description?: string;
}

export interface AttributeValue {
  ResourceName: string;
  ResourceNameWithoutScope: string;
  ResourceType: string;
  ResourceCategory?: ResourceCategory;
  Path: string;
  InLiveState?: boolean;
  AttributeName?: string;
  DataType: DataType;
  Info?: AttributeDetails;
  /** A raw JSON scalar. */
  Value: string | number | boolean | null;
  /** Head, line and foot comments joined with `\n`, each keeping its `#`. */
  Comment?: string;
}

export type AttributeValueList = AttributeValue[];

export interface ValidationResult {
  Passed: boolean;
  Index: number;
  /** Set by the server for a saved Invocation's or a Trigger's result (its Index is past the request's list). */
  FunctionName?: string;
  Details?: string[];
  FailedAttributes?: AttributeValueList;
}

export type ValidationResultList = ValidationResult[];

/** Output of YAML-typed functions (e.g. yq). */
export interface YAMLPayload {
  Payload: string;
}

export interface JSONPatchOperation {
  op: "add" | "remove" | "replace" | "move" | "copy" | "test";
  path: string;
  value?: unknown;
  from?: string;
}

/** Keyed `<type>#<scopelessName>`. */
export type PatchMap = Record<string, { Patches: JSONPatchOperation[] }>;

// ---------------------------------------------------------------------------------------------------
// Mutations (spec §4)

export type MutationType = "None" | "Add" | "Update" | "Replace" | "Delete";

export interface MutationInfo {
  MutationType: MutationType;
  /** Index of the function invocation that caused the change. */
  Index: number;
  Predicate: boolean;
  /** The new YAML of the node, or the removed YAML for Delete; "" for a resource-level Update or None. */
  Value: string;
}

export type MutationMap = Record<string, MutationInfo>;

export interface ResourceMutation {
  Resource: ResourceInfo;
  ResourceMutationInfo: MutationInfo;
  PathMutationMap: MutationMap;
  Aliases?: Record<string, Record<string, never>>;
  AliasesWithoutScopes?: Record<string, Record<string, never>>;
}

export type ResourceMutationList = ResourceMutation[];
