// Request schemas of the worker port (spec/server-api.md §4): the WorkerInfo a worker registers with
// and the ActionResult it posts. A Go worker sends null for an empty slice or map, and newer
// ConfigHub workers send fields older ones do not know, so both are accepted; what confn reads is
// typed, so a worker cannot register a function map the listings and dispatch would trip over.

const nullable = (type: string) => ({ type: [type, "null"] });

const functionParameterSchema = {
  type: "object",
  properties: {
    ParameterName: { type: "string", maxLength: 256 },
    Description: { type: "string" },
    Required: { type: "boolean" },
    DataType: { type: "string", maxLength: 64 },
    Example: { type: "string" },
    Regexp: { type: "string" },
    Min: { type: ["integer", "null"] },
    Max: { type: ["integer", "null"] },
    EnumValues: { type: ["array", "null"], items: { type: "string" } },
  },
} as const;

/** One function a worker announces: FunctionSignature as ConfigHub's Go library sends it. */
const workerFunctionSignatureSchema = {
  type: "object",
  required: ["FunctionName"],
  properties: {
    FunctionName: { type: "string", minLength: 1, maxLength: 256 },
    Parameters: { type: ["array", "null"], items: functionParameterSchema, maxItems: 256 },
    RequiredParameters: { type: "integer", minimum: 0 },
    VarArgs: { type: "boolean" },
    OutputInfo: {
      type: ["object", "null"],
      properties: {
        ResultName: { type: "string" },
        Description: { type: "string" },
        OutputType: { type: "string" },
      },
    },
    Mutating: { type: "boolean" },
    Validating: { type: "boolean" },
    Hermetic: { type: "boolean" },
    Idempotent: { type: "boolean" },
    Description: { type: "string" },
    FunctionType: { type: "string" },
    AttributeName: { type: "string" },
    AffectedResourceTypes: { type: ["array", "null"], items: { type: "string" } },
  },
} as const;

/** Functions per toolchain are bounded: a registration is stored whole as ProvidedInfo. */
const MAX_TOOLCHAINS = 64;
const MAX_FUNCTIONS_PER_TOOLCHAIN = 1024;

export const workerInfoSchema = {
  type: "object",
  properties: {
    BridgeWorkerInfo: nullable("object"),
    FunctionWorkerInfo: {
      type: ["object", "null"],
      properties: {
        SupportedFunctions: {
          type: ["object", "null"],
          maxProperties: MAX_TOOLCHAINS,
          additionalProperties: {
            type: ["object", "null"],
            maxProperties: MAX_FUNCTIONS_PER_TOOLCHAIN,
            additionalProperties: workerFunctionSignatureSchema,
          },
        },
        ToolchainTypes: { type: ["array", "null"], items: { type: "string" } },
      },
    },
    IsServerWorker: { type: "boolean" },
    UseUserIdentity: { type: "boolean" },
  },
} as const;

export const actionResultSchema = {
  type: "object",
  properties: {
    QueuedOperationID: { type: "string", maxLength: 64 },
    UnitID: { type: "string" },
    SpaceID: { type: "string" },
    RevisionNum: { type: "integer" },
    Action: { type: "string", maxLength: 64 },
    Result: { type: "string", maxLength: 64 },
    Status: { type: "string", maxLength: 64 },
    Message: { type: "string" },
    StartedAt: { type: "string" },
    TerminatedAt: { type: ["string", "null"] },
    Data: { type: "string" },
    LiveState: { type: "string" },
    Outputs: { type: "string" },
    ErrorMessages: { type: ["array", "null"], items: { type: "string" } },
  },
} as const;
